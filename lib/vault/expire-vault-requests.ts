import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { personTopic, publishEvents, vaultTopic } from "@/lib/events/publish";

/**
 * Closes vault requests whose time is up, set-based, in batches (SKIP LOCKED, so several processes may
 * run it): prompts nobody answered by expires_at, and approvals not used by valid_until. One audit row
 * per batch names them; the approvers' prompts close and the operators' pages learn it (server push).
 * Consuming never depends on this job: it checks valid_until itself.
 */
export async function expireVaultRequests(tx: Tx, actor: Actor, now = new Date(), batchSize = 500): Promise<number> {
  const expired = await tx.$queryRaw<{ id: string; operator_id: string; approver_id: string; was: string }[]>`
    UPDATE vault_request v SET status = 'EXPIRED'
    FROM (
      SELECT id, status::text AS was FROM vault_request
      WHERE (status = 'PENDING' AND expires_at <= ${now}) OR (status = 'APPROVED' AND valid_until <= ${now})
      ORDER BY expires_at LIMIT ${batchSize} FOR UPDATE SKIP LOCKED) due
    WHERE v.id = due.id
    RETURNING v.id, v.operator_id, v.approver_id, due.was`;
  if (!expired.length) return 0;
  await recordAuditEvent(tx, actor, {
    action: "vault.expired",
    target: { type: "vault-request", id: expired.length === 1 ? expired[0]!.id : null },
    summary: {
      count: expired.length,
      unanswered: expired.filter((r) => r.was === "PENDING").map((r) => r.id),
      unused: expired.filter((r) => r.was === "APPROVED").map((r) => r.id),
    },
    reason: "time limit reached",
  });
  await publishEvents(
    tx,
    expired.map((r) => ({
      type: r.was === "PENDING" ? ("vault-prompt" as const) : ("vault-decided" as const),
      topics: [personTopic(r.approver_id), personTopic(r.operator_id), vaultTopic(r.id)],
      data: { id: r.id, status: "EXPIRED" },
    })),
  );
  return expired.length;
}
