import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { addDelegatesToOpenStages } from "./stage-rows";

// Ended delegations are looked at for this long after their end (the job runs every minute; a
// longer outage than this leaves rows for the request side to close when the stage is decided).
const ENDED_WINDOW_MS = 30 * 86_400_000;

/**
 * The scheduler's delegation round, set-based: delegations set up in advance that have now begun put
 * their delegates on the delegator's open stages; delegations whose range is over take the delegate's
 * still-open items away again. One audit row per kind of change, naming the delegations.
 */
export async function syncDelegations(tx: Tx, actor: Actor, now = new Date()): Promise<{ activated: number; closed: number }> {
  const added = await addDelegatesToOpenStages(tx, now);
  if (added.length) {
    const delegationIds = [...new Set(added.map((r) => r.delegationId))];
    await recordAuditEvent(tx, actor, {
      action: "delegation.activated",
      target: { type: "delegation", id: delegationIds.length === 1 ? delegationIds[0]! : null },
      summary: { count: added.length, delegationIds, stageIds: added.map((r) => r.stageId) },
      reason: "delegation start reached",
    });
  }
  const closed = await tx.$queryRaw<{ delegation_id: string }[]>`
    UPDATE stage_approver sa SET is_open = false
    FROM approval_delegation d
    WHERE sa.approver_id = d.delegate_id AND sa.is_open AND sa.delegation_id = d.id
      AND d.revoked_at IS NULL AND d.ends_at <= ${now} AND d.ends_at > ${new Date(now.getTime() - ENDED_WINDOW_MS)}
    RETURNING sa.delegation_id`;
  if (closed.length) {
    const delegationIds = [...new Set(closed.map((r) => r.delegation_id))];
    await recordAuditEvent(tx, actor, {
      action: "delegation.ended",
      target: { type: "delegation", id: delegationIds.length === 1 ? delegationIds[0]! : null },
      summary: { count: closed.length, delegationIds },
      reason: "delegation end reached",
    });
  }
  return { activated: added.length, closed: closed.length };
}
