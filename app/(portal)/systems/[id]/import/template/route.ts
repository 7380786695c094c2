import { fileRoute } from "@/lib/http/download";
import { DomainError } from "@/lib/errors";
import { templateCsv } from "@/lib/imports/system-export";
import type { SystemImportKind } from "@/lib/imports/system-import";

export const dynamic = "force-dynamic";

const NAMES: Record<SystemImportKind, [string, string]> = {
  accounts: ["account-import-template.csv", "从帐号导入模板.csv"],
  grants: ["grant-import-template.csv", "授权导入模板.csv"],
  "last-login": ["last-login-import-template.csv", "最后登录时间导入模板.csv"],
};

/** An import template (?kind=accounts|grants|last-login): Chinese headers and example rows, UTF-8 with BOM. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return fileRoute("grants:manage", { systemId: id }, () => {
    const kind = new URL(request.url).searchParams.get("kind") as SystemImportKind | null;
    if (!kind || !(kind in NAMES)) throw new DomainError("VALIDATION");
    const [ascii, chinese] = NAMES[kind];
    return new Response(templateCsv(kind), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(chinese)}`,
        "Cache-Control": "no-store",
      },
    });
  });
}
