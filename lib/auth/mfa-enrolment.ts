import { z } from "zod";
import type { Tx } from "@/lib/db";
import type { RequestContext } from "@/lib/authz/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { decryptSecret, encryptSecret } from "@/lib/crypto";
import { hashRecoveryCode, matchTotp, newRecoveryCodes, newTotpSecret, totpUri } from "./totp";
import { lockPendingSignIn, signInActor } from "./pending-sign-in";
import { text } from "@/lib/validation";

/** The secret shown as a QR code during enrolment; created once per pending sign-in. */
export async function getEnrolmentSecret(
  tx: Tx,
  token: string | undefined,
  now = new Date(),
): Promise<{ secret: string; uri: string } | null> {
  const pending = await lockPendingSignIn(tx, token, now);
  if (!pending || !pending.needsEnrol) return null;
  let secret: string;
  if (pending.enrolSecretEnc) {
    secret = decryptSecret(pending.enrolSecretEnc);
  } else {
    secret = newTotpSecret();
    await tx.pendingSignIn.update({ where: { id: pending.id }, data: { enrolSecretEnc: encryptSecret(secret) } });
  }
  return { secret, uri: totpUri(secret, pending.account.person.employeeNo) };
}

export const EnrolInput = z.object({ code: text().trim().min(1, "required").max(64, "too-long") });

export type EnrolResult = { ok: true; recoveryCodes: string[] } | { ok: false; code: "INVALID_CODE" | "SIGN_IN_EXPIRED" };

/** Proves the authenticator works, stores the secret and issues one-time recovery codes. */
export async function completeMfaEnrolment(
  tx: Tx,
  ctx: RequestContext,
  token: string | undefined,
  input: z.infer<typeof EnrolInput>,
  now = new Date(),
): Promise<EnrolResult> {
  const pending = await lockPendingSignIn(tx, token, now);
  if (!pending || !pending.needsEnrol || !pending.enrolSecretEnc) return { ok: false, code: "SIGN_IN_EXPIRED" };
  const secret = decryptSecret(pending.enrolSecretEnc);
  const step = matchTotp(secret, input.code, null, now.getTime());
  if (step === null) {
    await tx.pendingSignIn.update({ where: { id: pending.id }, data: { attempts: { increment: 1 } } });
    return { ok: false, code: "INVALID_CODE" };
  }
  const recoveryCodes = await replaceRecoveryCodes(tx, pending.accountId);
  await tx.masterAccount.update({
    where: { id: pending.accountId },
    data: { totpSecretEnc: encryptSecret(secret), totpEnrolledAt: now, totpLastStep: step },
  });
  await tx.pendingSignIn.update({ where: { id: pending.id }, data: { mfaPassedAt: now, needsEnrol: false, needsMfa: true } });
  await recordAuditEvent(tx, signInActor(pending, ctx), {
    action: "auth.mfa.enrolled",
    target: { type: "account", id: pending.accountId },
    summary: { method: "totp", recoveryCodes: recoveryCodes.length },
  });
  return { ok: true, recoveryCodes };
}

export async function replaceRecoveryCodes(tx: Tx, accountId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await tx.recoveryCode.deleteMany({ where: { accountId } });
  await tx.recoveryCode.createMany({ data: codes.map((c) => ({ accountId, codeHash: hashRecoveryCode(c) })) });
  return codes;
}
