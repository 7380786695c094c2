import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { RosterFilter } from "./queries";

/** Exporting the roster (a list of who can reach sensitive data) is itself audited. */
export async function recordRosterExport(tx: Tx, actor: Actor, filter: RosterFilter, format: "csv" | "xlsx" = "csv"): Promise<void> {
  assertCan(actor, "roster:read");
  const { cursor: _cursor, ...used } = filter;
  void _cursor;
  await recordAuditEvent(tx, actor, { action: "roster.exported", target: { type: "audit", id: null }, summary: { filter: used, format } });
}
