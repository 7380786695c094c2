import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { recordAuditEvent } from "./record-audit-event";
import type { AuditFilter } from "./queries";

/** Reading the trail in bulk is itself audited, with the filter used. */
export async function recordAuditExport(tx: Tx, actor: Actor, filter: AuditFilter): Promise<void> {
  assertCan(actor, "audit:export");
  const { cursor: _cursor, ...used } = filter;
  void _cursor;
  await recordAuditEvent(tx, actor, {
    action: "audit.exported",
    target: { type: "audit", id: null },
    summary: { filter: used, format: "csv" },
  });
}
