import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan, can } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { RevokeDelegationInput } from "./schemas";
import { closeDelegatedRows } from "./stage-rows";

/**
 * Ends a delegation that is still to come or in force (the delegator is back early, or changed their
 * mind): compare-and-set, so a second revoke gets CONFLICT. The delegate's still-open items on the
 * delegator's stages are closed; what they already decided stays decided. The delegator, or an
 * administrator; someone else's delegation reads as not found.
 */
export async function revokeDelegation(tx: Tx, actor: Actor, raw: z.input<typeof RevokeDelegationInput>, now = new Date()) {
  const input = RevokeDelegationInput.parse(raw);
  assertCan(actor, "self:delegate");
  const delegation = await tx.approvalDelegation.findUnique({
    where: { id: input.delegationId },
    select: {
      id: true,
      delegatorId: true,
      delegateId: true,
      startsAt: true,
      endsAt: true,
      delegator: { select: { name: true, employeeNo: true } },
      delegate: { select: { name: true, employeeNo: true } },
    },
  });
  const isOwn = actor.kind === "person" && delegation?.delegatorId === actor.personId;
  if (!delegation || (!isOwn && !can(actor, "delegations:manage"))) throw new DomainError("NOT_FOUND");

  const actorId = actor.kind === "person" ? actor.personId : null;
  const ended = await tx.approvalDelegation.updateMany({
    where: { id: delegation.id, revokedAt: null, endsAt: { gt: now } },
    data: { revokedAt: now, revokedById: actorId },
  });
  if (ended.count !== 1) throw new DomainError("CONFLICT");
  const closed = await closeDelegatedRows(tx, delegation.id, delegation.delegateId);
  await recordAuditEvent(tx, actor, {
    action: "delegation.revoked",
    target: { type: "delegation", id: delegation.id },
    summary: {
      before: {
        delegator: { id: delegation.delegatorId, ...delegation.delegator },
        delegate: { id: delegation.delegateId, ...delegation.delegate },
        startsAt: delegation.startsAt.toISOString(),
        endsAt: delegation.endsAt.toISOString(),
      },
      closedItems: closed,
    },
    reason: input.reason ?? null,
  });
  return { closedItems: closed };
}
