// Step one of sign-in (lib/auth/start-sign-in.ts): the password, lockout and per-address throttling.
import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import type { RequestContext } from "@/lib/authz/actor";
import { startSignIn } from "@/lib/auth/start-sign-in";
import { setAccountStatus } from "@/lib/accounts/set-account-status";
import { defaultSecuritySettings, getSecuritySettings } from "@/lib/settings/security-settings";
import { sha256Hex } from "@/lib/crypto";
import { auditMark, auditSince, DEFAULT_PASSWORD, enrolTotp, FACTORY, lastAuditRow, makePerson, testCtx, uniq } from "../factories";

function signIn(ctx: RequestContext, login: string, password: string, now?: Date) {
  return inTransaction((tx) => startSignIn(tx, ctx, { login, password }, now));
}

describe("startSignIn", () => {
  it("runs on the default security settings", async () => {
    // The assertions below rely on these defaults (no test in this file changes them).
    const s = await getSecuritySettings(getDb());
    expect(s).toEqual(defaultSecuritySettings());
    expect(s.lockoutThreshold).toBe(5);
  });

  it("accepts the right password of a staff member: pending sign-in, next step 'complete', no failure row", async () => {
    const { employeeNo, account } = await makePerson();
    const mark = await auditMark();
    const result = await signIn(testCtx(), employeeNo, DEFAULT_PASSWORD);
    expect(result).toMatchObject({ ok: true, next: "complete" });
    if (!result.ok) throw new Error("unreachable");
    const pending = await getDb().pendingSignIn.findUnique({ where: { tokenHash: sha256Hex(result.token) } });
    expect(pending).toMatchObject({ accountId: account.id, needsMfa: false, needsEnrol: false, consumedAt: null, attempts: 0 });
    expect(pending!.expiresAt.getTime()).toBeGreaterThan(Date.now());
    // The password step alone is not a sign-in: the success row is written when the session is issued.
    expect(await auditSince(mark)).toEqual([]);
  });

  it("signs in with the e-mail address too, whatever its case", async () => {
    const { person } = await makePerson();
    const result = await signIn(testCtx(), person.email!.toUpperCase(), DEFAULT_PASSWORD);
    expect(result).toMatchObject({ ok: true, next: "complete" });
  });

  it("asks an enrolled person for the second factor ('mfa')", async () => {
    const { employeeNo, account } = await makePerson();
    await enrolTotp(account.id);
    const result = await signIn(testCtx(), employeeNo, DEFAULT_PASSWORD);
    expect(result).toMatchObject({ ok: true, next: "mfa" });
    if (!result.ok) throw new Error("unreachable");
    const pending = await getDb().pendingSignIn.findUniqueOrThrow({ where: { tokenHash: sha256Hex(result.token) } });
    expect(pending).toMatchObject({ needsMfa: true, needsEnrol: false });
  });

  it("makes a privileged person without an authenticator enrol ('enrol')", async () => {
    const { employeeNo } = await makePerson({ roles: ["HR"] });
    const result = await signIn(testCtx(), employeeNo, DEFAULT_PASSWORD);
    expect(result).toMatchObject({ ok: true, next: "enrol" });
    if (!result.ok) throw new Error("unreachable");
    const pending = await getDb().pendingSignIn.findUniqueOrThrow({ where: { tokenHash: sha256Hex(result.token) } });
    expect(pending).toMatchObject({ needsMfa: true, needsEnrol: true });
  });

  it("gives a wrong password and an unknown login the same answer, each with a failure row", async () => {
    const { employeeNo, person, account } = await makePerson();
    const ctx = testCtx();

    const wrong = await signIn(ctx, employeeNo, "not-the-password-1234");
    expect(wrong).toEqual({ ok: false, code: "INVALID_CREDENTIALS", retryAfterMinutes: undefined });
    const wrongRow = await lastAuditRow({ action: "auth.sign-in.failed", targetId: person.id });
    expect(wrongRow).toMatchObject({
      actorId: null,
      actorName: employeeNo,
      targetType: "person",
      ip: ctx.ip,
      requestId: ctx.requestId,
      summary: { login: employeeNo, detail: "wrong-password" },
    });
    expect(JSON.stringify(wrongRow.summary)).not.toContain("not-the-password");
    expect((await getDb().masterAccount.findUniqueOrThrow({ where: { id: account.id } })).failedAttempts).toBe(1);

    const unknownLogin = `nobody-${uniq()}`;
    const unknown = await signIn(ctx, unknownLogin, "whatever-password");
    expect(unknown).toEqual(wrong);
    const unknownRow = await lastAuditRow({ action: "auth.sign-in.failed", actorId: null });
    expect(unknownRow).toMatchObject({
      actorName: unknownLogin,
      targetType: null,
      targetId: null,
      summary: { login: unknownLogin, detail: "unknown-login" },
    });
  });

  it("refuses a person who has no password yet, like a wrong one", async () => {
    const { employeeNo } = await makePerson({ password: null });
    expect(await signIn(testCtx(), employeeNo, "anything-at-all")).toEqual({
      ok: false,
      code: "INVALID_CREDENTIALS",
      retryAfterMinutes: undefined,
    });
    expect(await lastAuditRow({ action: "auth.sign-in.failed", actorName: employeeNo })).toMatchObject({
      actorId: null,
      targetId: null,
      summary: { login: employeeNo, detail: "no-password" },
    });
  });

  it("locks the account after 5 failures, and the right password does not open it until the lock ends", async () => {
    const { employeeNo, person, account } = await makePerson();
    const ctx = testCtx();
    const now = new Date();
    for (let i = 1; i <= 4; i++) {
      expect(await signIn(ctx, employeeNo, `wrong-${i}-password`, now)).toMatchObject({ ok: false, code: "INVALID_CREDENTIALS" });
    }
    const mark = await auditMark();
    const fifth = await signIn(ctx, employeeNo, "wrong-5-password", now);
    expect(fifth).toEqual({ ok: false, code: "ACCOUNT_LOCKED", retryAfterMinutes: 15 });

    const rows = await auditSince(mark);
    expect(rows.map((r) => r.action)).toEqual(["auth.account.auto-locked", "auth.sign-in.failed"]);
    expect(rows[0]).toMatchObject({
      actorId: null,
      actorName: "system",
      targetType: "account",
      targetId: account.id,
      summary: { failures: 5 },
    });
    expect(rows[1]).toMatchObject({ targetId: person.id, summary: { detail: "wrong-password-locked" } });
    const locked = await getDb().masterAccount.findUniqueOrThrow({ where: { id: account.id } });
    expect(locked.lockedUntil!.getTime()).toBe(now.getTime() + 15 * 60_000);
    expect(locked.failedAttempts).toBe(0);
    expect(locked.status).toBe("ACTIVE"); // a temporary lock, not an administrator's

    const stillLocked = await signIn(ctx, employeeNo, DEFAULT_PASSWORD, new Date(now.getTime() + 60_000));
    expect(stillLocked).toEqual({ ok: false, code: "ACCOUNT_LOCKED", retryAfterMinutes: 14 });
    expect(await lastAuditRow({ action: "auth.sign-in.failed", targetId: person.id })).toMatchObject({
      summary: { detail: "temporarily-locked" },
    });
    expect(await getDb().pendingSignIn.count({ where: { accountId: account.id } })).toBe(0);

    // Once the lock has run out, the right password works again and the counters are cleared.
    const later = await signIn(ctx, employeeNo, DEFAULT_PASSWORD, new Date(now.getTime() + 16 * 60_000));
    expect(later).toMatchObject({ ok: true, next: "complete" });
    // The counters are cleared when the whole sign-in succeeds (issueSession); the lock has run out.
    const after = await getDb().masterAccount.findUniqueOrThrow({ where: { id: account.id } });
    expect(after.failedAttempts).toBe(0);
    expect(after.lockedUntil!.getTime()).toBeLessThan(now.getTime() + 16 * 60_000);
  });

  // Issue 9 §3: a disabled account said "not active" for the right password and "wrong password" otherwise.
  it("answers a disabled account and a leaver like a wrong password, right password or not", async () => {
    const { employeeNo, person, account } = await makePerson();
    await inTransaction((tx) =>
      setAccountStatus(tx, FACTORY, { accountId: account.id, change: "disable", reason: "Test: contract ended" }),
    );
    const invalid = { ok: false, code: "INVALID_CREDENTIALS", retryAfterMinutes: undefined };
    expect(await signIn(testCtx(), employeeNo, DEFAULT_PASSWORD)).toEqual(invalid);
    expect(await lastAuditRow({ action: "auth.sign-in.failed", targetId: person.id })).toMatchObject({
      summary: { detail: "account-disabled-person-active" },
    });
    expect(await signIn(testCtx(), employeeNo, "wrong-password-here")).toEqual(invalid);
    expect(await lastAuditRow({ action: "auth.sign-in.failed", targetId: person.id })).toMatchObject({
      summary: { detail: "wrong-password" },
    });

    const leaver = await makePerson();
    await getDb().person.update({ where: { id: leaver.person.id }, data: { status: "LEFT" } });
    expect(await signIn(testCtx(), leaver.employeeNo, DEFAULT_PASSWORD)).toEqual(invalid);
    expect(await lastAuditRow({ action: "auth.sign-in.failed", targetId: leaver.person.id })).toMatchObject({
      summary: { detail: "account-active-person-left" },
    });
    expect(await getDb().pendingSignIn.count({ where: { accountId: { in: [account.id, leaver.account.id] } } })).toBe(0);
  });

  // Issue 9 §3: five wrong passwords for a real employee number said "locked for 15 minutes" while an
  // unknown one answered "wrong password" forever.
  it("answers unknown logins exactly like real ones, lockout included", async () => {
    const real = await makePerson();
    const noPassword = await makePerson({ password: null });
    const now = new Date();
    const answers = async (login: string) => {
      const seen: unknown[] = [];
      for (let i = 1; i <= 6; i++)
        seen.push(await signIn(testCtx(), login, `wrong-${i}-password`, new Date(now.getTime() + (i - 1) * 60_000)));
      // During the lock even the right password is refused; after it the count starts again.
      seen.push(await signIn(testCtx(), login, DEFAULT_PASSWORD, new Date(now.getTime() + 6 * 60_000)));
      seen.push(await signIn(testCtx(), login, "wrong-again-password", new Date(now.getTime() + 30 * 60_000)));
      return seen;
    };
    const expected = [
      ...Array.from({ length: 4 }, () => ({ ok: false, code: "INVALID_CREDENTIALS", retryAfterMinutes: undefined })),
      { ok: false, code: "ACCOUNT_LOCKED", retryAfterMinutes: 15 },
      { ok: false, code: "ACCOUNT_LOCKED", retryAfterMinutes: 14 },
      { ok: false, code: "ACCOUNT_LOCKED", retryAfterMinutes: 13 },
      { ok: false, code: "INVALID_CREDENTIALS", retryAfterMinutes: undefined },
    ];
    expect(await answers(real.employeeNo)).toEqual(expected);
    expect(await answers(`nobody-${uniq()}`)).toEqual(expected);
    expect(await answers(`Nobody-${uniq()}@Example.COM`)).toEqual(expected);
    expect(await answers(noPassword.employeeNo)).toEqual(expected);
    // What was typed as a login is not stored in the counter's key.
    const login = `ghost-${uniq()}`;
    await signIn(testCtx(), login, "wrong-password-x");
    expect(await getDb().signInThrottle.count({ where: { key: { contains: login } } })).toBe(0);
  });

  it("costs an unknown login about the time of a real one, locked or not (a password hash is verified)", async () => {
    const real = await makePerson();
    const locked = await makePerson();
    await getDb().masterAccount.update({ where: { id: locked.account.id }, data: { lockedUntil: new Date(Date.now() + 3_600_000) } });
    // Four tries per login in all (one to warm the path, three timed): below the lockout threshold.
    const time = async (login: string) => {
      await signIn(testCtx(), login, "wrong-password-warm");
      const started = performance.now();
      for (let i = 0; i < 3; i++) await signIn(testCtx(), login, "wrong-password-timing");
      return performance.now() - started;
    };
    const [wrong, unknown, lockedTime] = [await time(real.employeeNo), await time(`nobody-${uniq()}`), await time(locked.employeeNo)];
    // argon2 verification dominates (tens of milliseconds); without it a path answers in a few.
    expect(unknown).toBeGreaterThan(wrong * 0.5);
    expect(lockedTime).toBeGreaterThan(wrong * 0.5);
  });

  it("throttles one client address after ipThrottleThreshold failures (TOO_MANY_ATTEMPTS), not the others", async () => {
    const settings = await getSecuritySettings(getDb());
    const { employeeNo, account } = await makePerson();
    const ctx = testCtx();
    const now = new Date();
    for (let i = 0; i < settings.ipThrottleThreshold; i++) {
      expect(await signIn(ctx, `ghost-${uniq()}`, "some-password", now)).toMatchObject({ code: "INVALID_CREDENTIALS" });
    }
    const mark = await auditMark();
    // Even the right password is refused from that address, and the account's own counter is untouched.
    const throttled = await signIn(ctx, employeeNo, DEFAULT_PASSWORD, now);
    expect(throttled).toEqual({ ok: false, code: "TOO_MANY_ATTEMPTS", retryAfterMinutes: settings.ipThrottleWindowMinutes });
    const rows = await auditSince(mark);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: "auth.sign-in.failed",
      ip: ctx.ip,
      actorName: employeeNo,
      summary: { detail: "ip-throttled" },
    });
    expect(await getDb().pendingSignIn.count({ where: { accountId: account.id } })).toBe(0);

    // Another address is not affected; the same one is let in again once the window has passed.
    expect(await signIn(testCtx(), employeeNo, DEFAULT_PASSWORD, now)).toMatchObject({ ok: true });
    const afterWindow = new Date(now.getTime() + (settings.ipThrottleWindowMinutes + 1) * 60_000);
    expect(await signIn(ctx, employeeNo, DEFAULT_PASSWORD, afterWindow)).toMatchObject({ ok: true });
  });

  it("counts parallel failures from one address", async () => {
    const ctx = testCtx();
    await Promise.all(Array.from({ length: 8 }, () => signIn(ctx, `ghost-${uniq()}`, "some-password")));
    const row = await getDb().signInThrottle.findUniqueOrThrow({ where: { key: `ip:${ctx.ip}` } });
    expect(row.failures).toBe(8);
  });

  // BUG (lib/auth/start-sign-in.ts:46): Prisma's `equals` with `mode: "insensitive"` is an ILIKE on
  // PostgreSQL, so "%" and "_" in the login are wildcards: "_<rest of someone's e-mail>" (or "%")
  // reaches a real account. Remove `.fails` once the lookup compares e-mails exactly.
  it("takes the login literally: LIKE wildcards match no e-mail address", async () => {
    const { person, account } = await makePerson();
    const email = person.email!;
    const ctx = testCtx();
    for (const pattern of [`_${email.slice(1)}`, `${email.slice(0, 3)}%`]) {
      const result = await signIn(ctx, pattern, DEFAULT_PASSWORD);
      expect(result).toEqual({ ok: false, code: "INVALID_CREDENTIALS", retryAfterMinutes: undefined });
    }
    expect(await getDb().pendingSignIn.count({ where: { accountId: account.id } })).toBe(0);
  });

  // Same bug: a trailing backslash makes an invalid LIKE pattern; once PostgreSQL's matcher reaches it
  // (at once for a lone backslash), the sign-in crashes with 22025 "LIKE pattern must not end with escape
  // character" (a 500, and no failure row or throttle count) instead of answering.
  it("answers INVALID_CREDENTIALS to a lone backslash as login (an invalid LIKE pattern)", async () => {
    await makePerson(); // the pattern is only evaluated against existing rows
    expect(await signIn(testCtx(), "\\", "whatever-password")).toMatchObject({ ok: false, code: "INVALID_CREDENTIALS" });
  });
});
