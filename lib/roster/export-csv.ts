import type { Actor } from "@/lib/authz/actor";
import { csvCell } from "@/lib/audit/export-csv";
import { listRoster, type RosterFilter } from "./queries";

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

/**
 * The whole roster as CSV (UTF-8 with BOM for spreadsheet software), one line per sensitive
 * permission held, streamed page by page so memory stays flat at any size.
 */
export function rosterCsvStream(actor: Actor, filter: RosterFilter): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: string | undefined;
  let started = false;
  let done = false;
  // One instant for the whole file: every page is the roster of the same moment.
  const now = new Date();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`\uFEFF${ROSTER_COLUMNS.join(",")}\r\n`));
        return;
      }
      if (done) {
        controller.close();
        return;
      }
      const page = await listRoster(actor, { ...filter, cursor }, { pageSize: 500, now });
      const at = page.at.toISOString();
      const lines: string[] = [];
      for (const e of page.rows)
        for (const h of e.holdings)
          for (const p of h.permissions)
            lines.push(
              [
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
              ]
                .map(csvCell)
                .join(","),
            );
      if (lines.length) controller.enqueue(encoder.encode(`${lines.join("\r\n")}\r\n`));
      cursor = page.nextCursor ?? undefined;
      if (!page.nextCursor) done = true;
    },
  });
}
