import { z } from "zod";
import { emailIndex } from "@/lib/people/pii";
import type { Tx } from "@/lib/db";
import type { RequestContext } from "@/lib/authz/actor";
import { systemActor } from "@/lib/authz/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getSecuritySettings } from "@/lib/settings/security-settings";
import { sha256Hex, randomToken } from "@/lib/crypto";
import { dummyHash, verifyPassword } from "./hashing";
import { countAccountFailure, isIpThrottled, recordIpFailure, recordPhantomFailure } from "./throttle";
import { hasControlCharacters, text } from "@/lib/validation";
import { PENDING_SIGN_IN_MINUTES } from "./pending-cookie";

export const SignInInput = z.object({
  login: text().trim().min(1, "required").max(200, "too-long"),
  // Passwords are never stored or compared as text, so any character is allowed.
  password: text().min(1, "required").max(1024, "too-long"),
});

export type StartSignInResult =
  | { ok: true; token: string; next: "mfa" | "enrol" | "complete" }
  | { ok: false; code: "INVALID_CREDENTIALS" | "ACCOUNT_LOCKED" | "TOO_MANY_ATTEMPTS"; retryAfterMinutes?: number };

export { PENDING_SIGN_IN_MINUTES };

// What someone typed as a login goes into the audit row, clipped and without control characters.
function printable(login: string): string {
  return login.replace(/[\u0000-\u001F\u007F]/g, "?").slice(0, 100);
}

/**
 * Step one of sign-in: the password. Failures are returned, not thrown, so the failure counters and
 * the audit row commit. Unknown login and wrong password give the same answer and cost the same time.
 */
export async function startSignIn(
  tx: Tx,
  ctx: RequestContext,
  input: z.infer<typeof SignInInput>,
  now = new Date(),
): Promise<StartSignInResult> {
  const settings = await getSecuritySettings(tx);
  const login = input.login.trim();
  const attempt = systemActor("anonymous", ctx);
  const fail = async (
    code: Exclude<StartSignInResult, { ok: true }>["code"],
    detail: string,
    personId?: string,
    retryAfterMinutes?: number,
  ): Promise<StartSignInResult> => {
    await recordAuditEvent(tx, attempt, {
      action: "auth.sign-in.failed",
      target: personId ? { type: "person", id: personId } : undefined,
      summary: { login: printable(login), detail },
      actorNameOverride: printable(login) || "-",
    });
    return { ok: false, code, retryAfterMinutes };
  };

  if (hasControlCharacters(login)) {
    await dummyHash();
    await recordIpFailure(tx, ctx.ip, settings, now);
    return fail("INVALID_CREDENTIALS", "invalid-login");
  }

  if (await isIpThrottled(tx, ctx.ip, settings, now)) {
    await dummyHash();
    return fail("TOO_MANY_ATTEMPTS", "ip-throttled", undefined, settings.ipThrottleWindowMinutes);
  }

  // Exact matches only: e-mail addresses are encrypted, found by their blind index (normalised lower-case).
  const account = await tx.masterAccount.findFirst({
    where: { OR: [{ person: { employeeNo: login } }, { person: { emailIndex: emailIndex(login) } }] },
    select: {
      id: true,
      status: true,
      passwordHash: true,
      failedAttempts: true,
      lockedUntil: true,
      totpEnrolledAt: true,
      person: { select: { id: true, status: true, roleAssignments: { select: { role: true } } } },
    },
  });

  if (!account || !account.passwordHash) {
    // Someone probing logins must not learn which exist: an unknown login (or one without a password)
    // costs one password verification, counts failures and "locks" after the same number of tries as a
    // real account, with the same answers (see lib/auth/throttle.ts).
    await verifyPassword(await dummyHash(), input.password);
    await recordIpFailure(tx, ctx.ip, settings, now);
    const detail = account ? "no-password" : "unknown-login";
    const phantom = await recordPhantomFailure(tx, login, settings, now);
    if (phantom.lockedMinutes !== null) return fail("ACCOUNT_LOCKED", `${detail}-locked`, undefined, phantom.lockedMinutes);
    return fail("INVALID_CREDENTIALS", detail);
  }

  const personId = account.person.id;
  if (account.lockedUntil && account.lockedUntil > now) {
    await verifyPassword(await dummyHash(), input.password); // the same cost as every other answer
    await recordIpFailure(tx, ctx.ip, settings, now);
    const minutes = Math.ceil((account.lockedUntil.getTime() - now.getTime()) / 60_000);
    return fail("ACCOUNT_LOCKED", "temporarily-locked", personId, minutes);
  }

  const passwordOk = await verifyPassword(account.passwordHash, input.password);
  const isActive = account.status === "ACTIVE" && account.person.status === "ACTIVE";
  if (!passwordOk || !isActive) {
    // A disabled account or a leaver answers like a wrong password, whether or not the password was
    // right: the status is for administrators to see (in the audit row), not for whoever is typing.
    await recordIpFailure(tx, ctx.ip, settings, now);
    const detail = passwordOk ? `account-${account.status.toLowerCase()}-person-${account.person.status.toLowerCase()}` : "wrong-password";
    const lock = await countAccountFailure(tx, attempt, account.id, settings, now);
    if (lock.locked) return fail("ACCOUNT_LOCKED", `${detail}-locked`, personId, settings.lockoutMinutes);
    return fail("INVALID_CREDENTIALS", detail, personId);
  }

  // failed_attempts is cleared only when the whole sign-in succeeds (lib/auth/issue-session.ts): a right
  // password followed by wrong second factors must not start the count again.

  const roles = account.person.roleAssignments.map((r) => r.role as string);
  const required = settings.mfaRequiredRoles.includes("STAFF") || roles.some((r) => (settings.mfaRequiredRoles as string[]).includes(r));
  const enrolled = account.totpEnrolledAt !== null;
  const needsMfa = enrolled || required;
  const needsEnrol = required && !enrolled;

  const token = randomToken();
  await tx.pendingSignIn.create({
    data: {
      tokenHash: sha256Hex(token),
      accountId: account.id,
      needsMfa,
      needsEnrol,
      expiresAt: new Date(now.getTime() + PENDING_SIGN_IN_MINUTES * 60_000),
    },
  });
  return { ok: true, token, next: needsEnrol ? "enrol" : needsMfa ? "mfa" : "complete" };
}
