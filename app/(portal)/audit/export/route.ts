import { performWith } from "@/lib/http/perform";
import { APP_TIME_ZONE } from "@/lib/time/calendar";
import { fileRoute, queryOf } from "@/lib/http/download";
import { AuditFilter } from "@/lib/audit/queries";
import { auditCsvStream } from "@/lib/audit/export-csv";
import { recordAuditExport } from "@/lib/audit/record-export";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  return fileRoute("audit:export", undefined, async (actor) => {
    // Every filter field falls back to "not set" when it does not fit: this never refuses.
    const filter = queryOf(request, AuditFilter);
    await performWith(actor, (tx, a) => recordAuditExport(tx, a, filter));
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    return new Response(auditCsvStream(filter, APP_TIME_ZONE), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="audit-${stamp}.csv"`,
        "Cache-Control": "no-store",
      },
    });
  });
}
