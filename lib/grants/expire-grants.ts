import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { afterGrantsExpired } from "@/lib/access/grant-notices";

/**
 * Ends every grant whose end date has passed, set-based, in batches; one audit row per batch names
 * the grants. Safe to run from several processes at once (SKIP LOCKED: each grant expires once).
 */
export async function expireDueGrants(tx: Tx, actor: Actor, now = new Date(), batchSize = 1000): Promise<number> {
  const expired = await tx.$queryRaw<{ id: string }[]>`
    UPDATE access_grant SET revoked_at = ends_at, revoke_reason = 'expired'
    WHERE id IN (
      SELECT id FROM access_grant
      WHERE revoked_at IS NULL AND ends_at IS NOT NULL AND ends_at <= ${now}
      ORDER BY ends_at LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  if (expired.length === 0) return 0;
  await recordAuditEvent(tx, actor, {
    action: "grant.expired",
    target: { type: "grant", id: expired.length === 1 ? expired[0]!.id : null },
    summary: { count: expired.length, grantIds: expired.map((g) => g.id) },
    reason: "end date reached",
  });
  // The holders are told; connected systems get their outbox rows (lib/access/grant-notices.ts).
  await afterGrantsExpired(
    tx,
    expired.map((g) => g.id),
  );
  return expired.length;
}
