import { RosterFilter } from "@/lib/roster/queries";
import { dayIn } from "@/lib/time/calendar";
import { rosterCsvStream } from "@/lib/roster/export-csv";
import { performWith } from "@/lib/http/perform";
import { fileRoute, queryOf } from "@/lib/http/download";
import { recordRosterExport } from "@/lib/roster/record-export";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  return fileRoute("roster:read", undefined, async (actor) => {
    const filter = queryOf(request, RosterFilter);
    await performWith(actor, (tx, a) => recordRosterExport(tx, a, filter));
    return new Response(rosterCsvStream(actor, { ...filter, cursor: undefined }), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="sensitive-personnel-${filter.asOf ? `${filter.asOf}${filter.asOfTime ? `-${filter.asOfTime.replace(":", "")}` : ""}` : dayIn(new Date())}.csv"`,
        "Cache-Control": "no-store",
      },
    });
  });
}
