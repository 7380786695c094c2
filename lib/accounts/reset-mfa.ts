import { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { ReasonInput } from "@/lib/people/schemas";

export const ResetMfaInput = z.object({ accountId: z.string().uuid("invalid"), reason: ReasonInput });

/** For a lost authenticator: clears the TOTP secret and recovery codes; the next sign-in enrols again. */
export async function resetMfa(tx: Tx, actor: Actor, raw: z.input<typeof ResetMfaInput>): Promise<void> {
  const input = ResetMfaInput.parse(raw);
  assertCan(actor, "accounts:manage");
  const reset = await tx.masterAccount.updateMany({
    where: { id: input.accountId, totpEnrolledAt: { not: null } },
    data: { totpSecretEnc: null, totpEnrolledAt: null, totpLastStep: null },
  });
  if (reset.count !== 1) throw new DomainError("CONFLICT");
  await tx.recoveryCode.deleteMany({ where: { accountId: input.accountId } });
  await tx.portalSession.updateMany({
    where: { accountId: input.accountId, revokedAt: null },
    data: { revokedAt: new Date(), revokedReason: "mfa-reset" },
  });
  await recordAuditEvent(tx, actor, { action: "auth.mfa.reset", target: { type: "account", id: input.accountId }, reason: input.reason });
}
