import { performWith } from "@/lib/http/perform";
import { dayIn } from "@/lib/time/calendar";
import { fileRoute } from "@/lib/http/download";
import { DomainError } from "@/lib/errors";
import { recordSystemExport, systemExportStream, type ExportFormat, type ExportWhat } from "@/lib/imports/system-export";

export const dynamic = "force-dynamic";

const WHATS: readonly ExportWhat[] = ["accounts", "grants"];
const FORMATS: readonly ExportFormat[] = ["csv", "xlsx"];

/**
 * A system's slave accounts or live grants (?what=accounts|grants&format=csv|xlsx), in the columns
 * the imports read; streamed, audited before the first byte.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return fileRoute("grants:manage", { systemId: id }, async (actor) => {
    const search = new URL(request.url).searchParams;
    const what = search.get("what") as ExportWhat;
    const format = (search.get("format") ?? "csv") as ExportFormat;
    if (!WHATS.includes(what) || !FORMATS.includes(format)) throw new DomainError("VALIDATION");
    const { code } = await performWith(actor, (tx, a) => recordSystemExport(tx, a, { systemId: id, what, format }));
    const now = new Date();
    const fileName = `${code}-${what}-${dayIn(now)}.${format}`.replace(/[^A-Za-z0-9._-]/g, "_");
    return new Response(systemExportStream(id, what, format, now), {
      headers: {
        "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": `attachment; filename="${fileName}"`,
        "Cache-Control": "no-store",
      },
    });
  });
}
