import { fileRoute } from "@/lib/http/download";
import { csvText } from "@/lib/csv";
import { HEADERS, IMPORT_FIELDS } from "@/lib/imports/staff-import";

export const dynamic = "force-dynamic";

// One example employee; a third party would fill 合作单位, 担保人工号 and 合同截止 too.
const EXAMPLE: Record<(typeof IMPORT_FIELDS)[number], string> = {
  employeeNo: "E00123",
  name: "王建国",
  orgCode: "HQ-IT",
  jobTitle: "开发工程师",
  employmentType: "员工",
  jobCategories: "开发测试、产品研发",
  phone: "13812345678",
  email: "wang.jianguo@example.com",
  idNumber: "",
  vendor: "",
  sponsorEmployeeNo: "",
  contractEndsOn: "",
};

/** The import template: Chinese headers and one example row, UTF-8 with BOM so Excel shows the Chinese. */
export async function GET() {
  return fileRoute("people:manage", undefined, () => {
    const header = IMPORT_FIELDS.map((f) => HEADERS[f][0]!);
    const body = csvText(header, [IMPORT_FIELDS.map((f) => EXAMPLE[f])]);
    return new Response(body, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="staff-import-template.csv"; filename*=UTF-8''${encodeURIComponent("人员导入模板.csv")}`,
        "Cache-Control": "no-store",
      },
    });
  });
}
