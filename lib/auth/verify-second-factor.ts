import { z } from "zod";
import type { Tx } from "@/lib/db";
import type { RequestContext } from "@/lib/authz/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { decryptSecret } from "@/lib/crypto";
import { hashRecoveryCode, matchTotp } from "./totp";
import { getSecuritySettings } from "@/lib/settings/security-settings";
import { countAccountFailure } from "./throttle";
import { lockPendingSignIn, MAX_SECOND_FACTOR_ATTEMPTS, signInActor } from "./pending-sign-in";
import { text } from "@/lib/validation";

export const SecondFactorInput = z.object({
  code: text().trim().min(1, "required").max(64, "too-long"),
});

export type SecondFactorResult =
  { ok: true } | { ok: false; code: "INVALID_CODE" | "SIGN_IN_EXPIRED" } | { ok: false; code: "ACCOUNT_LOCKED"; retryAfterMinutes: number };

/** Step two: a TOTP code, or one of the person's unused recovery codes (consumed on use). */
export async function verifySecondFactor(
  tx: Tx,
  ctx: RequestContext,
  token: string | undefined,
  input: z.infer<typeof SecondFactorInput>,
  now = new Date(),
): Promise<SecondFactorResult> {
  const pending = await lockPendingSignIn(tx, token, now);
  if (!pending || !pending.needsMfa || pending.needsEnrol || !pending.account.totpSecretEnc) return { ok: false, code: "SIGN_IN_EXPIRED" };
  const person = pending.account.person;
  const actor = signInActor(pending, ctx);
  const code = input.code.trim();
  const settings = await getSecuritySettings(tx);
  const lockedUntil = pending.account.lockedUntil;
  if (lockedUntil && lockedUntil > now) {
    // Locked meanwhile (wrong codes in another pending sign-in, or wrong passwords): no more guesses.
    await tx.pendingSignIn.update({ where: { id: pending.id }, data: { consumedAt: now } });
    return { ok: false, code: "ACCOUNT_LOCKED", retryAfterMinutes: Math.ceil((lockedUntil.getTime() - now.getTime()) / 60_000) };
  }

  if (/^\d{6}$/.test(code.replace(/\s+/g, ""))) {
    const step = matchTotp(decryptSecret(pending.account.totpSecretEnc), code, pending.account.totpLastStep, now.getTime());
    // Compare-and-set on the last used step: two sign-ins racing with one code get one success.
    const stored =
      step !== null
        ? await tx.masterAccount.updateMany({
            where: { id: pending.accountId, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
            data: { totpLastStep: step },
          })
        : { count: 0 };
    if (stored.count === 1) {
      await tx.pendingSignIn.update({ where: { id: pending.id }, data: { mfaPassedAt: now } });
      return { ok: true };
    }
  } else {
    const used = await tx.recoveryCode.updateMany({
      where: { accountId: pending.accountId, codeHash: hashRecoveryCode(code), usedAt: null },
      data: { usedAt: now },
    });
    if (used.count === 1) {
      const left = await tx.recoveryCode.count({ where: { accountId: pending.accountId, usedAt: null } });
      await recordAuditEvent(tx, actor, {
        action: "auth.recovery-code.used",
        target: { type: "account", id: pending.accountId },
        summary: { remaining: left },
      });
      await tx.pendingSignIn.update({ where: { id: pending.id }, data: { mfaPassedAt: now } });
      return { ok: true };
    }
  }

  const updated = await tx.pendingSignIn.update({
    where: { id: pending.id },
    data: { attempts: { increment: 1 } },
    select: { attempts: true },
  });
  await recordAuditEvent(tx, actor, {
    action: "auth.mfa.failed",
    target: { type: "person", id: person.id },
    summary: { attempt: updated.attempts, of: MAX_SECOND_FACTOR_ATTEMPTS },
  });
  // Wrong second factors count toward the account's lockout like wrong passwords, across pending
  // sign-ins: starting over with the password does not buy fresh guesses.
  const lock = await countAccountFailure(tx, actor, pending.accountId, settings, now);
  if (lock.locked) {
    await tx.pendingSignIn.update({ where: { id: pending.id }, data: { consumedAt: now } });
    return { ok: false, code: "ACCOUNT_LOCKED", retryAfterMinutes: settings.lockoutMinutes };
  }
  return { ok: false, code: updated.attempts >= MAX_SECOND_FACTOR_ATTEMPTS ? "SIGN_IN_EXPIRED" : "INVALID_CODE" };
}
