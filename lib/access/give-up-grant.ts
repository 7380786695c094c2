import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { endGrants } from "@/lib/grants/end-grants";
import { GiveUpGrantInput } from "./schemas";

export const GIVE_UP_REASON = "given up by the holder";

/**
 * The holder ends one of their own live grants now (least privilege: staff give back what they no
 * longer need). Compare-and-set, so two tabs giving up the same grant get one outcome and the other
 * GRANT_NOT_LIVE; someone else's grant reads as not found. Ended through lib/grants/end-grants.ts:
 * audited, connected systems get their outbox row, findings rebuilt, in the same transaction.
 */
export async function giveUpGrant(tx: Tx, actor: Actor, raw: z.input<typeof GiveUpGrantInput>, now = new Date()) {
  const input = GiveUpGrantInput.parse(raw);
  assertCan(actor, "self:access");
  if (actor.kind !== "person") throw new DomainError("FORBIDDEN", { params: { permission: "self:access" } });
  const grant = await tx.accessGrant.findUnique({
    where: { id: input.grantId },
    select: { id: true, slaveAccount: { select: { personId: true } } },
  });
  if (!grant || grant.slaveAccount.personId !== actor.personId) throw new DomainError("NOT_FOUND", { field: "grantId" });
  const ended = await endGrants(tx, actor, [grant.id], {
    cause: "given-up",
    reason: input.reason ? `${GIVE_UP_REASON}: ${input.reason}` : GIVE_UP_REASON,
    auditReason: input.reason ?? GIVE_UP_REASON,
    action: "grant.given-up",
    now,
  });
  if (ended.length !== 1) throw new DomainError("GRANT_NOT_LIVE", { field: "grantId" });
  return { grantId: grant.id };
}
