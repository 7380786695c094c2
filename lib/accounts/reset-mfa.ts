import { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { hasRole } from "@/lib/authz/actor";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { ReasonInput, text } from "@/lib/validation";

export const ResetMfaInput = z.object({ accountId: text().uuid("invalid"), reason: ReasonInput });

/** For a lost authenticator: clears the TOTP secret and recovery codes; the next sign-in enrols again. */
export async function resetMfa(tx: Tx, actor: Actor, raw: z.input<typeof ResetMfaInput>): Promise<void> {
  const input = ResetMfaInput.parse(raw);
  assertCan(actor, "accounts:manage");
  // Whoever resets a second factor can enrol a new one with the password alone: for holders of portal
  // roles that is a system administrator's action only, as issuing their one-time passwords is (R16).
  const holder = await tx.masterAccount.findUnique({ where: { id: input.accountId }, select: { personId: true } });
  if (!holder) throw new DomainError("NOT_FOUND", { field: "accountId" });
  const privileged = await tx.portalRoleAssignment.count({ where: { personId: holder.personId } });
  if (privileged > 0 && actor.kind === "person" && !hasRole(actor, "SYSTEM_ADMIN")) {
    throw new DomainError("FORBIDDEN", { params: { permission: "accounts:manage" } });
  }
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
