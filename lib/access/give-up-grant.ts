import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { GiveUpGrantInput } from "./schemas";
import { enqueueGrantRevocations, loadGrantFacts } from "./grant-notices";

export const GIVE_UP_REASON = "given up by the holder";

/**
 * The holder ends one of their own live grants now (least privilege: staff give back what they no
 * longer need). Compare-and-set, so two tabs giving up the same grant get one outcome and the other
 * GRANT_NOT_LIVE; someone else's grant reads as not found. Audited; connected systems get their
 * outbox row in the same transaction.
 */
export async function giveUpGrant(tx: Tx, actor: Actor, raw: z.input<typeof GiveUpGrantInput>, now = new Date()) {
  const input = GiveUpGrantInput.parse(raw);
  assertCan(actor, "self:access");
  if (actor.kind !== "person") throw new DomainError("FORBIDDEN", { params: { permission: "self:access" } });
  const grant = await tx.accessGrant.findUnique({
    where: { id: input.grantId },
    select: { id: true, roleId: true, endsAt: true, requestId: true, slaveAccount: { select: { personId: true, systemId: true } } },
  });
  if (!grant || grant.slaveAccount.personId !== actor.personId) throw new DomainError("NOT_FOUND", { field: "grantId" });
  const ended = await tx.accessGrant.updateMany({
    where: { id: grant.id, revokedAt: null, OR: [{ endsAt: null }, { endsAt: { gt: now } }] },
    data: {
      revokedAt: now,
      revokedById: actor.personId,
      revokeReason: input.reason ? `${GIVE_UP_REASON}: ${input.reason}` : GIVE_UP_REASON,
    },
  });
  if (ended.count !== 1) throw new DomainError("GRANT_NOT_LIVE", { field: "grantId" });
  await recordAuditEvent(tx, actor, {
    action: "grant.given-up",
    target: { type: "grant", id: grant.id },
    summary: {
      before: {
        personId: actor.personId,
        systemId: grant.slaveAccount.systemId,
        roleId: grant.roleId,
        endsAt: grant.endsAt?.toISOString() ?? null,
      },
      ...(grant.requestId ? { requestId: grant.requestId } : {}),
    },
    reason: input.reason ?? GIVE_UP_REASON,
  });
  await enqueueGrantRevocations(tx, await loadGrantFacts(tx, [grant.id]), "given-up");
  return { grantId: grant.id };
}
