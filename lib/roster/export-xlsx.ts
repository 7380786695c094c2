import { once } from "node:events";
import { PassThrough, Readable } from "node:stream";
import ExcelJS from "exceljs";
import type { Actor } from "@/lib/authz/actor";
import { log } from "@/lib/log";
import { listRoster, type RosterFilter } from "./queries";
import { ROSTER_COLUMNS, rosterLines } from "./export-csv";

// The same columns as the CSV export (lib/roster/export-csv.ts), so either file answers the same way.

/**
 * The whole roster as an .xlsx, one row per sensitive permission held. exceljs's streaming writer
 * commits each row to the zip as it goes and the loop waits whenever the reader falls behind, so
 * memory stays flat at any size. Every cell is a string (never a formula; employee numbers keep
 * their zeros). `now` is read once, as for the CSV.
 */
export function rosterXlsxStream(actor: Actor, filter: RosterFilter, now = new Date()): ReadableStream<Uint8Array> {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet("roster");
  void (async () => {
    try {
      sheet.addRow([...ROSTER_COLUMNS]).commit();
      let cursor: string | undefined;
      do {
        // The same `now` for every page (read once, above): one moment for the whole file.
        const page = await listRoster(actor, { ...filter, cursor }, { pageSize: 500, now });
        for (const cells of rosterLines(page)) sheet.addRow(cells.map((v) => v ?? "")).commit();
        if (out.writableNeedDrain) await once(out, "drain");
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      sheet.commit();
      await workbook.commit();
    } catch (error) {
      log.error({ err: error }, "roster xlsx export failed");
      out.destroy(error instanceof Error ? error : new Error("roster xlsx export failed"));
    }
  })();
  return Readable.toWeb(out) as unknown as ReadableStream<Uint8Array>;
}
