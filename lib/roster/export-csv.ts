import type { Actor } from "@/lib/authz/actor";
import { csvCell } from "@/lib/audit/export-csv";
import { listRoster, type RosterEntry, type RosterFilter } from "./queries";

export const ROSTER_COLUMNS = [
  "employee_no",
  "name",
  "employment_type",
  "vendor",
  "department",
  "job_title",
  "system",
  "login_name",
  "role",
  "permission",
  "permission_name",
  "sensitivity",
  "as_of_utc",
];

/** The cells of one roster line per sensitive permission held, in ROSTER_COLUMNS order (CSV and XLSX alike). */
export function rosterLines(page: { at: Date; rows: RosterEntry[] }): (string | null)[][] {
  const at = page.at.toISOString();
  const lines: (string | null)[][] = [];
  for (const e of page.rows)
    for (const h of e.holdings)
      for (const p of h.permissions)
        lines.push([
          e.employeeNo,
          e.name,
          e.employmentType,
          e.vendorName,
          e.orgUnit,
          e.jobTitle,
          h.system,
          h.loginName,
          h.role,
          p.code,
          p.name,
          p.sensitivity,
          at,
        ]);
  return lines;
}

/**
 * The whole roster as CSV (UTF-8 with BOM for spreadsheet software), one line per sensitive
 * permission held, streamed page by page so memory stays flat at any size. `now` is read once: every
 * page is the roster of the same moment.
 */
export function rosterCsvStream(actor: Actor, filter: RosterFilter, now = new Date()): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: string | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`\uFEFF${ROSTER_COLUMNS.join(",")}\r\n`));
        return;
      }
      // Every pull enqueues something or closes: a pull that does neither is never called again, and
      // the download would hang (an empty roster, or a page whose people add no line).
      for (;;) {
        const page = await listRoster(actor, { ...filter, cursor }, { pageSize: 500, now });
        const lines = rosterLines(page).map((cells) => cells.map(csvCell).join(","));
        cursor = page.nextCursor ?? undefined;
        if (lines.length) controller.enqueue(encoder.encode(`${lines.join("\r\n")}\r\n`));
        if (!cursor) {
          controller.close();
          return;
        }
        if (lines.length) return;
      }
    },
  });
}
