import { performWith } from "@/lib/http/perform";
import { dayIn } from "@/lib/time/calendar";
import { fileRoute, queryOf } from "@/lib/http/download";
import { recordStaffExport, StaffExportQuery, staffExportStream } from "@/lib/imports/staff-export";

export const dynamic = "force-dynamic";

const CONTENT_TYPE = { csv: "text/csv; charset=utf-8", xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" } as const;

/** The staff list as CSV or XLSX, with the list's filters, personal data masked; audited, then streamed. */
export async function GET(request: Request) {
  return fileRoute("people:read", undefined, async (actor) => {
    const { format, ...filter } = queryOf(request, StaffExportQuery);
    await performWith(actor, (tx, a) => recordStaffExport(tx, a, filter, format));
    const day = dayIn(new Date());
    return new Response(staffExportStream(actor, filter, format), {
      headers: {
        "Content-Type": CONTENT_TYPE[format],
        "Content-Disposition": `attachment; filename="staff-${day}.${format}"; filename*=UTF-8''${encodeURIComponent(`人员清单-${day}.${format}`)}`,
        "Cache-Control": "no-store",
      },
    });
  });
}
