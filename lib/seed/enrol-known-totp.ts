import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { encryptSecret } from "@/lib/crypto";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";

/**
 * Demo and test fixtures only: enrols a person with a TOTP secret chosen by the caller (the demo's
 * published secret, or a test's own). Real people enrol themselves at sign-in with a random secret.
 */
export async function enrolKnownTotpSecret(tx: Tx, actor: Actor, accountId: string, secret: string): Promise<void> {
  assertCan(actor, "accounts:manage");
  await tx.masterAccount.update({
    where: { id: accountId },
    data: { totpSecretEnc: encryptSecret(secret), totpEnrolledAt: new Date(), totpLastStep: null },
  });
  await recordAuditEvent(tx, actor, {
    action: "auth.mfa.enrolled",
    target: { type: "account", id: accountId },
    summary: { method: "totp", fixture: true },
  });
}
