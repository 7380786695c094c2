import type { Actor } from "@/lib/authz/actor";
import { csvStream } from "@/lib/csv";
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
  return csvStream<string>(ROSTER_COLUMNS, async (cursor) => {
    const page = await listRoster(actor, { ...filter, cursor: cursor ?? undefined }, { pageSize: 500, now });
    return { cells: rosterLines(page), next: page.nextCursor ?? null };
  });
}
