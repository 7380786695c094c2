import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { RevokeGrantInput } from "./schemas";

/** Ends a live grant now (compare-and-set: a second revoke gets CONFLICT). The row stays, end-dated. */
export async function revokeGrant(tx: Tx, actor: Actor, raw: z.input<typeof RevokeGrantInput>, now = new Date()) {
  const input = RevokeGrantInput.parse(raw);
  const grant = await tx.accessGrant.findUnique({
    where: { id: input.grantId },
    select: { id: true, roleId: true, revokedAt: true, slaveAccount: { select: { id: true, systemId: true, personId: true } } },
  });
  if (!grant) throw new DomainError("NOT_FOUND");
  assertCan(actor, "grants:manage", { systemId: grant.slaveAccount.systemId });
  const ended = await tx.accessGrant.updateMany({
    where: { id: grant.id, revokedAt: null },
    data: { revokedAt: now, revokedById: actor.kind === "person" ? actor.personId : null, revokeReason: input.reason },
  });
  if (ended.count !== 1) throw new DomainError("CONFLICT");
  await recordAuditEvent(tx, actor, {
    action: "grant.revoked",
    target: { type: "grant", id: grant.id },
    summary: { before: { personId: grant.slaveAccount.personId, systemId: grant.slaveAccount.systemId, roleId: grant.roleId } },
    reason: input.reason,
  });
}
