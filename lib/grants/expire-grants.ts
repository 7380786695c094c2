import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { notifyGrantsExpired } from "@/lib/access/grant-notices";
import { endGrants } from "./end-grants";

/**
 * Ends every grant whose end date has passed, set-based, in batches, through endGrants (outbox rows,
 * findings, one audit row per batch naming the grants); each holder is told. Safe to run from several
 * processes at once (SKIP LOCKED: each grant expires once).
 */
export async function expireDueGrants(tx: Tx, actor: Actor, now = new Date(), batchSize = 1000): Promise<number> {
  const due = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text FROM access_grant
    WHERE revoked_at IS NULL AND ends_at IS NOT NULL AND ends_at <= ${now}
    ORDER BY ends_at LIMIT ${batchSize} FOR UPDATE SKIP LOCKED`;
  if (due.length === 0) return 0;
  const expired = await endGrants(
    tx,
    actor,
    due.map((g) => g.id),
    { cause: "expired", reason: "expired", auditReason: "end date reached", action: "grant.expired", expiry: true, now },
  );
  await notifyGrantsExpired(tx, expired);
  return expired.length;
}
