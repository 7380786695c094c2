import type { Tx } from "@/lib/db";
import type { PersonActor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { replaceRecoveryCodes } from "@/lib/auth/mfa-enrolment";

export async function regenerateRecoveryCodes(tx: Tx, actor: PersonActor): Promise<string[]> {
  assertCan(actor, "self:manage-security");
  const account = await tx.masterAccount.findUniqueOrThrow({ where: { id: actor.accountId }, select: { totpEnrolledAt: true } });
  if (!account.totpEnrolledAt) throw new DomainError("CONFLICT");
  const codes = await replaceRecoveryCodes(tx, actor.accountId);
  await recordAuditEvent(tx, actor, {
    action: "auth.recovery-codes.regenerated",
    target: { type: "account", id: actor.accountId },
    summary: { count: codes.length },
  });
  return codes;
}
