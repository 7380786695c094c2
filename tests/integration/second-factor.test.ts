// Steps two and three of sign-in (second factor, enrolment, session) and the per-request session check.
import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import type { RequestContext } from "@/lib/authz/actor";
import { startSignIn } from "@/lib/auth/start-sign-in";
import { verifySecondFactor } from "@/lib/auth/verify-second-factor";
import { completeMfaEnrolment, getEnrolmentSecret } from "@/lib/auth/mfa-enrolment";
import { issueSession } from "@/lib/auth/issue-session";
import { checkSession } from "@/lib/auth/sessions";
import { currentTotp, hashRecoveryCode, TOTP_PERIOD } from "@/lib/auth/totp";
import { regenerateRecoveryCodes } from "@/lib/accounts/regenerate-recovery-codes";
import { setAccountStatus } from "@/lib/accounts/set-account-status";
import { sha256Hex } from "@/lib/crypto";
import { grantPortalRole } from "@/lib/portal-roles/grant-portal-role";
import { revokePortalRole } from "@/lib/portal-roles/revoke-portal-role";
import {
  actorFor,
  auditMark,
  auditText,
  auditSince,
  DEFAULT_PASSWORD,
  enrolTotp,
  FACTORY,
  lastAuditRow,
  makeActor,
  makePerson,
  signInStaff,
  testCtx,
} from "../factories";

async function passwordStep(ctx: RequestContext, employeeNo: string, now = new Date()) {
  const result = await inTransaction((tx) => startSignIn(tx, ctx, { login: employeeNo, password: DEFAULT_PASSWORD }, now));
  if (!result.ok) throw new Error(`password step failed: ${result.code}`);
  return result;
}

function secondFactor(ctx: RequestContext, token: string, code: string, now = new Date()) {
  return inTransaction((tx) => verifySecondFactor(tx, ctx, token, { code }, now));
}

function issue(ctx: RequestContext, token: string | undefined, now = new Date()) {
  return inTransaction((tx) => issueSession(tx, ctx, token, now));
}

describe("verifySecondFactor (TOTP)", () => {
  it("accepts the current code, then issues a session with an 'auth.sign-in.succeeded' row", async () => {
    const { employeeNo, person, account } = await makePerson();
    const secret = await enrolTotp(account.id);
    const ctx = testCtx();
    const now = new Date();
    const { token, next } = await passwordStep(ctx, employeeNo, now);
    expect(next).toBe("mfa");

    // Without the second factor, no session.
    expect(await issue(ctx, token, now)).toBeNull();

    const mark = await auditMark();
    expect(await secondFactor(ctx, token, currentTotp(secret, now.getTime()), now)).toEqual({ ok: true });
    const acc = await getDb().masterAccount.findUniqueOrThrow({ where: { id: account.id } });
    expect(acc.totpLastStep).toBe(BigInt(Math.floor(now.getTime() / 1000 / TOTP_PERIOD)));
    expect(await auditSince(mark)).toEqual([]); // the success row comes with the session

    const sessionId = await issue(ctx, token, now);
    expect(sessionId).toEqual(expect.any(String));
    const row = await lastAuditRow({ action: "auth.sign-in.succeeded", targetId: sessionId! });
    expect(row).toMatchObject({
      actorId: person.id,
      actorName: `${person.name} (${person.employeeNo})`,
      targetType: "session",
      summary: { mfa: "totp" },
      ip: ctx.ip,
    });
  });

  it("refuses a replayed code (same time step) with INVALID_CODE and an 'auth.mfa.failed' row", async () => {
    const { employeeNo, person, account } = await makePerson();
    const secret = await enrolTotp(account.id);
    const now = new Date();
    const code = currentTotp(secret, now.getTime());
    const first = await passwordStep(testCtx(), employeeNo, now);
    expect(await secondFactor(testCtx(), first.token, code, now)).toEqual({ ok: true });

    const second = await passwordStep(testCtx(), employeeNo, now);
    expect(await secondFactor(testCtx(), second.token, code, now)).toEqual({ ok: false, code: "INVALID_CODE" });
    expect(await lastAuditRow({ action: "auth.mfa.failed", targetId: person.id })).toMatchObject({
      actorId: person.id,
      targetType: "person",
      summary: { attempt: 1, of: 5 },
    });
    expect(await issue(testCtx(), second.token, now)).toBeNull();
    // The next time step's code is accepted.
    const later = new Date(now.getTime() + TOTP_PERIOD * 1000);
    expect(await secondFactor(testCtx(), second.token, currentTotp(secret, later.getTime()), later)).toEqual({ ok: true });
  });

  it("locks the account after 5 wrong codes (ACCOUNT_LOCKED), and ends the pending sign-in", async () => {
    const { employeeNo, account } = await makePerson();
    const secret = await enrolTotp(account.id);
    const { token } = await passwordStep(testCtx(), employeeNo);
    for (let i = 1; i <= 4; i++) expect(await secondFactor(testCtx(), token, "000000")).toMatchObject({ code: "INVALID_CODE" });
    const mark = await auditMark();
    expect(await secondFactor(testCtx(), token, "000000")).toEqual({ ok: false, code: "ACCOUNT_LOCKED", retryAfterMinutes: 15 });
    expect((await auditSince(mark)).map((r) => r.action)).toEqual(["auth.mfa.failed", "auth.account.auto-locked"]);
    // Even the right code is too late now.
    expect(await secondFactor(testCtx(), token, currentTotp(secret))).toEqual({ ok: false, code: "SIGN_IN_EXPIRED" });
  });

  // Issue 9 §3: three password steps with six wrong codes each left failed_attempts at 0 and the right
  // code still worked; now wrong codes count toward the account lockout across pending sign-ins.
  it("counts wrong codes toward the account lockout across password steps", async () => {
    const { employeeNo, account } = await makePerson();
    const secret = await enrolTotp(account.id);
    const now = new Date();
    const failed = async () => (await getDb().masterAccount.findUniqueOrThrow({ where: { id: account.id } })).failedAttempts;

    const first = await passwordStep(testCtx(), employeeNo, now);
    for (let i = 1; i <= 3; i++) expect(await secondFactor(testCtx(), first.token, "000000", now)).toMatchObject({ code: "INVALID_CODE" });
    expect(await failed()).toBe(3);

    // Starting over with the right password does not clear the count.
    const second = await passwordStep(testCtx(), employeeNo, now);
    expect(await failed()).toBe(3);
    expect(await secondFactor(testCtx(), second.token, "000000", now)).toMatchObject({ code: "INVALID_CODE" });
    expect(await secondFactor(testCtx(), second.token, "000000", now)).toEqual({
      ok: false,
      code: "ACCOUNT_LOCKED",
      retryAfterMinutes: 15,
    });
    const locked = await getDb().masterAccount.findUniqueOrThrow({ where: { id: account.id } });
    expect(locked.lockedUntil!.getTime()).toBe(now.getTime() + 15 * 60_000);

    // The first pending sign-in cannot go on guessing, not even with the right code; neither can a new one.
    expect(await secondFactor(testCtx(), first.token, currentTotp(secret, now.getTime()), now)).toEqual({
      ok: false,
      code: "ACCOUNT_LOCKED",
      retryAfterMinutes: 15,
    });
    const third = await inTransaction((tx) => startSignIn(tx, testCtx(), { login: employeeNo, password: DEFAULT_PASSWORD }, now));
    expect(third).toEqual({ ok: false, code: "ACCOUNT_LOCKED", retryAfterMinutes: 15 });

    // After the lock, a full sign-in works and clears the count.
    const later = new Date(now.getTime() + 16 * 60_000);
    const fourth = await passwordStep(testCtx(), employeeNo, later);
    expect(await secondFactor(testCtx(), fourth.token, "000000", later)).toMatchObject({ code: "INVALID_CODE" });
    expect(await secondFactor(testCtx(), fourth.token, currentTotp(secret, later.getTime()), later)).toEqual({ ok: true });
    expect(await issue(testCtx(), fourth.token, later)).toEqual(expect.any(String));
    expect(await getDb().masterAccount.findUniqueOrThrow({ where: { id: account.id } })).toMatchObject({
      failedAttempts: 0,
      lockedUntil: null,
    });
  });

  it("refuses an unknown or missing token", async () => {
    expect(await secondFactor(testCtx(), "no-such-token", "123456")).toEqual({ ok: false, code: "SIGN_IN_EXPIRED" });
    expect(await inTransaction((tx) => verifySecondFactor(tx, testCtx(), undefined, { code: "123456" }))).toEqual({
      ok: false,
      code: "SIGN_IN_EXPIRED",
    });
  });

  it("accepts a recovery code once, with an 'auth.recovery-code.used' row", async () => {
    const { employeeNo, person, account } = await makePerson();
    await enrolTotp(account.id);
    const codes = await inTransaction(async (tx) => regenerateRecoveryCodes(tx, await actorFor(person.id)));
    const ctx = testCtx();

    const first = await passwordStep(ctx, employeeNo);
    // Case and separators do not matter.
    expect(await secondFactor(ctx, first.token, ` ${codes[3]!.toUpperCase().replace("-", " ")} `)).toEqual({ ok: true });
    const row = await lastAuditRow({ action: "auth.recovery-code.used", targetId: account.id });
    expect(row).toMatchObject({ actorId: person.id, targetType: "account", summary: { remaining: 9 } });
    expect(auditText(row)).not.toContain(codes[3]!);
    expect(
      await getDb().recoveryCode.findFirstOrThrow({ where: { accountId: account.id, codeHash: hashRecoveryCode(codes[3]!) } }),
    ).toMatchObject({ usedAt: expect.any(Date) });
    expect(await issue(ctx, first.token)).toEqual(expect.any(String));

    const second = await passwordStep(ctx, employeeNo);
    expect(await secondFactor(ctx, second.token, codes[3]!)).toEqual({ ok: false, code: "INVALID_CODE" });
    expect(await lastAuditRow({ action: "auth.mfa.failed", targetId: person.id })).toMatchObject({ summary: { attempt: 1 } });
    // Another person's code is no good either.
    const other = await makePerson();
    await enrolTotp(other.account.id);
    const otherCodes = await inTransaction(async (tx) => regenerateRecoveryCodes(tx, await actorFor(other.person.id)));
    expect(await secondFactor(ctx, second.token, otherCodes[0]!)).toMatchObject({ ok: false, code: "INVALID_CODE" });
  });
});

describe("MFA enrolment", () => {
  it("shows one secret per pending sign-in, proves it, stores it and hands out 10 recovery codes", async () => {
    const { employeeNo, person, account } = await makePerson({ roles: ["HR"] });
    const ctx = testCtx();
    const now = new Date();
    const { token, next } = await passwordStep(ctx, employeeNo, now);
    expect(next).toBe("enrol");

    const shown = await inTransaction((tx) => getEnrolmentSecret(tx, token, now));
    expect(shown).not.toBeNull();
    expect(shown!.uri).toContain(encodeURIComponent(employeeNo));
    expect(await inTransaction((tx) => getEnrolmentSecret(tx, token, now))).toEqual(shown);
    expect(await issue(ctx, token, now)).toBeNull(); // not before enrolment

    expect(await inTransaction((tx) => completeMfaEnrolment(tx, ctx, token, { code: "000000" }, now))).toEqual({
      ok: false,
      code: "INVALID_CODE",
    });

    const mark = await auditMark();
    const done = await inTransaction((tx) =>
      completeMfaEnrolment(tx, ctx, token, { code: currentTotp(shown!.secret, now.getTime()) }, now),
    );
    if (!done.ok) throw new Error(`enrolment failed: ${done.code}`);
    expect(done.recoveryCodes).toHaveLength(10);
    expect(new Set(done.recoveryCodes).size).toBe(10);

    const acc = await getDb().masterAccount.findUniqueOrThrow({ where: { id: account.id } });
    expect(acc.totpEnrolledAt).toEqual(now);
    expect(acc.totpSecretEnc).toEqual(expect.any(String));
    expect(acc.totpSecretEnc).not.toContain(shown!.secret);
    const stored = await getDb().recoveryCode.findMany({ where: { accountId: account.id } });
    expect(stored.map((c) => c.codeHash).sort()).toEqual(done.recoveryCodes.map(hashRecoveryCode).sort());

    const rows = await auditSince(mark);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: "auth.mfa.enrolled",
      actorId: person.id,
      targetType: "account",
      targetId: account.id,
      summary: { method: "totp", recoveryCodes: 10 },
    });
    expect(auditText(rows[0])).not.toContain(shown!.secret);

    // Enrolment counts as the second factor for this sign-in.
    expect(await issue(ctx, token, now)).toEqual(expect.any(String));
    expect(await inTransaction((tx) => getEnrolmentSecret(tx, token, now))).toBeNull();
  });

  it("gives no enrolment secret to a sign-in that does not need one", async () => {
    const { employeeNo } = await makePerson();
    const { token } = await passwordStep(testCtx(), employeeNo);
    expect(await inTransaction((tx) => getEnrolmentSecret(tx, token))).toBeNull();
    expect(await inTransaction((tx) => completeMfaEnrolment(tx, testCtx(), token, { code: "123456" }))).toEqual({
      ok: false,
      code: "SIGN_IN_EXPIRED",
    });
  });
});

describe("issueSession", () => {
  it("creates one portal session per pending sign-in; a second call with the same token gets null", async () => {
    const { employeeNo, person, account } = await makePerson();
    const ctx = testCtx({ userAgent: "x".repeat(800) });
    const now = new Date();
    const { token } = await passwordStep(ctx, employeeNo, now);
    const mark = await auditMark();
    const [a, b] = await Promise.all([issue(ctx, token, now), issue(ctx, token, now)]);
    const sessionId = a ?? b;
    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect(await issue(ctx, token, now)).toBeNull();

    const sessions = await getDb().portalSession.findMany({ where: { accountId: account.id } });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ id: sessionId, ip: ctx.ip, createdAt: now, lastSeenAt: now, revokedAt: null });
    expect(sessions[0]!.userAgent).toHaveLength(500);
    expect((await getDb().masterAccount.findUniqueOrThrow({ where: { id: account.id } })).lastSignInAt).toEqual(now);
    expect(await getDb().pendingSignIn.findUniqueOrThrow({ where: { tokenHash: sha256Hex(token) } })).toMatchObject({ consumedAt: now });

    const rows = await auditSince(mark);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: "auth.sign-in.succeeded",
      actorId: person.id,
      targetType: "session",
      targetId: sessionId,
      summary: { mfa: "none" },
    });
  });

  it("refuses an expired pending sign-in, and an account disabled in between", async () => {
    const { employeeNo, account } = await makePerson();
    const now = new Date();
    const expired = await passwordStep(testCtx(), employeeNo, now);
    expect(await issue(testCtx(), expired.token, new Date(now.getTime() + 11 * 60_000))).toBeNull();

    const pending = await passwordStep(testCtx(), employeeNo, now);
    await inTransaction((tx) =>
      setAccountStatus(tx, FACTORY, { accountId: account.id, change: "disable", reason: "Test: disabled mid sign-in" }),
    );
    expect(await issue(testCtx(), pending.token, now)).toBeNull();
    expect(await getDb().portalSession.count({ where: { accountId: account.id } })).toBe(0);
  });
});

describe("checkSession", () => {
  it("accepts a live session and returns the actor with its roles", async () => {
    const { employeeNo, person } = await makePerson({ roles: ["APPROVER"] });
    const now = new Date();
    const sessionId = await signInStaffOrEnrolled(employeeNo, now);
    const check = await checkSession(sessionId, testCtx(), new Date(now.getTime() + 5 * 60_000));
    expect(check).toMatchObject({ ok: true, mustChangePassword: false });
    if (!check.ok) throw new Error("unreachable");
    expect(check.actor).toMatchObject({ kind: "person", personId: person.id, sessionId, employeeNo });
    expect(check.actor.roles).toEqual([
      expect.objectContaining({ role: "APPROVER", orgUnitId: person.orgUnitId, orgUnitPath: expect.stringContaining(person.orgUnitId) }),
    ]);
    // The visit is recorded (at most once a minute).
    expect((await getDb().portalSession.findUniqueOrThrow({ where: { id: sessionId } })).lastSeenAt.getTime()).toBe(
      now.getTime() + 5 * 60_000,
    );
  });

  it("refuses a missing or malformed session id without writing anything", async () => {
    const mark = await auditMark();
    expect(await checkSession(undefined, testCtx())).toEqual({ ok: false, reason: "missing" });
    expect(await checkSession("'; DROP TABLE portal_session; --", testCtx())).toEqual({ ok: false, reason: "missing" });
    expect(await checkSession("00000000-0000-0000-0000-000000000000", testCtx())).toEqual({ ok: false, reason: "missing" });
    expect(await auditSince(mark)).toEqual([]);
  });

  it("ends an idle session ('idle') with an 'auth.session.expired' row", async () => {
    const { employeeNo, person } = await makePerson();
    const now = new Date();
    const sessionId = await signInStaff(employeeNo, DEFAULT_PASSWORD, testCtx(), now);
    const ctx = testCtx();
    expect(await checkSession(sessionId, ctx, new Date(now.getTime() + 29 * 60_000))).toMatchObject({ ok: true });
    // 29 minutes later the visit moved lastSeenAt, so idleness counts from there.
    expect(await checkSession(sessionId, ctx, new Date(now.getTime() + 58 * 60_000))).toMatchObject({ ok: true });
    expect(await checkSession(sessionId, ctx, new Date(now.getTime() + 89 * 60_000))).toEqual({ ok: false, reason: "idle" });
    await expectEnded(sessionId, person, "idle", ctx);
  });

  it("ends a session past its absolute lifetime ('absolute') even while in use", async () => {
    const { employeeNo, person } = await makePerson();
    const start = new Date(Date.now() - 13 * 3_600_000);
    const sessionId = await signInStaff(employeeNo, DEFAULT_PASSWORD, testCtx(), start);
    const ctx = testCtx();
    const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);
    // Kept busy: a visit every 25 minutes keeps it alive until the 12 hours are up.
    for (let minutes = 25; minutes < 12 * 60; minutes += 25) {
      expect(await checkSession(sessionId, ctx, at(minutes))).toMatchObject({ ok: true });
    }
    expect(await checkSession(sessionId, ctx, at(12 * 60 + 1))).toEqual({ ok: false, reason: "absolute" });
    await expectEnded(sessionId, person, "absolute", ctx);
  });

  it("ends the session of an account disabled or a person who left ('account-inactive')", async () => {
    const { employeeNo, person, account } = await makePerson();
    const sessionId = await signInStaff(employeeNo);
    await getDb().masterAccount.update({ where: { id: account.id }, data: { status: "DISABLED" } }); // behind the use case's back
    const ctx = testCtx();
    expect(await checkSession(sessionId, ctx)).toEqual({ ok: false, reason: "account-inactive" });
    await expectEnded(sessionId, person, "account-inactive", ctx);

    const leaver = await makePerson();
    const leaverSession = await signInStaff(leaver.employeeNo);
    await getDb().person.update({ where: { id: leaver.person.id }, data: { status: "LEFT" } });
    expect(await checkSession(leaverSession, ctx)).toEqual({ ok: false, reason: "account-inactive" });
    await expectEnded(leaverSession, leaver.person, "account-inactive", ctx);
  });

  it("refuses a revoked session ('revoked') without another row", async () => {
    const { employeeNo, account } = await makePerson();
    const sessionId = await signInStaff(employeeNo);
    await inTransaction((tx) =>
      setAccountStatus(tx, FACTORY, { accountId: account.id, change: "lock", reason: "Test: lock ends sessions" }),
    );
    await inTransaction((tx) => setAccountStatus(tx, FACTORY, { accountId: account.id, change: "unlock", reason: "Test: unlocked again" }));
    const mark = await auditMark();
    expect(await checkSession(sessionId, testCtx())).toEqual({ ok: false, reason: "revoked" });
    expect(await auditSince(mark)).toEqual([]);
  });

  it("ends the session of a privileged person without an authenticator ('mfa-required')", async () => {
    const { person } = await makePerson({ roles: ["HR"] });
    // A session made directly (HR cannot reach one without enrolling through the sign-in steps).
    const session = await getDb().portalSession.create({ data: { accountId: (await actorFor(person.id)).accountId } });
    const ctx = testCtx();
    expect(await checkSession(session.id, ctx)).toEqual({ ok: false, reason: "mfa-required" });
    await expectEnded(session.id, person, "mfa-required", ctx);
  });

  // Issue 9 §3: a staff member signed in with the password only, then granted HR, kept using HR pages
  // in the same session. A portal-role change now applies on the next request.
  it("applies a portal-role grant and a revocation on the next request", async () => {
    const { actor: admin } = await makeActor(["SYSTEM_ADMIN"]);
    const staff = await makePerson();
    const sessionId = await signInStaff(staff.employeeNo);
    expect(await checkSession(sessionId, testCtx())).toMatchObject({ ok: true, actor: { roles: [] } });
    await inTransaction((tx) => grantPortalRole(tx, admin, { personId: staff.person.id, role: "HR", reason: "Test: joins HR" }));
    const ctx = testCtx();
    expect(await checkSession(sessionId, ctx)).toEqual({ ok: false, reason: "mfa-required" });
    await expectEnded(sessionId, staff.person, "mfa-required", ctx);

    // Enrolled and signed in with the second factor as an approver, then the role is revoked: gone at once.
    const approver = await makePerson();
    await inTransaction((tx) =>
      grantPortalRole(tx, admin, {
        personId: approver.person.id,
        role: "APPROVER",
        orgUnitId: approver.person.orgUnitId,
        reason: "Test: approves",
      }),
    );
    const approverSession = await signInStaffOrEnrolled(approver.employeeNo, new Date());
    const before = await checkSession(approverSession, testCtx());
    expect(before).toMatchObject({ ok: true });
    if (!before.ok) throw new Error("unreachable");
    expect(before.actor.roles.map((r) => r.role)).toEqual(["APPROVER"]);
    const assignment = await getDb().portalRoleAssignment.findFirstOrThrow({ where: { personId: approver.person.id } });
    await inTransaction((tx) => revokePortalRole(tx, admin, { assignmentId: assignment.id, reason: "Test: no longer approves" }));
    const after = await checkSession(approverSession, testCtx());
    expect(after).toMatchObject({ ok: true });
    if (!after.ok) throw new Error("unreachable");
    expect(after.actor.roles).toEqual([]);
  });
});

/** Password + TOTP where the person is enrolled (privileged roles must be). */
async function signInStaffOrEnrolled(employeeNo: string, now: Date): Promise<string> {
  const account = await getDb().masterAccount.findFirstOrThrow({ where: { person: { employeeNo } } });
  const secret = await enrolTotp(account.id);
  const ctx = testCtx();
  const { token } = await passwordStep(ctx, employeeNo, now);
  expect(await secondFactor(ctx, token, currentTotp(secret, now.getTime()), now)).toEqual({ ok: true });
  const sessionId = await issue(ctx, token, now);
  if (!sessionId) throw new Error("no session");
  return sessionId;
}

async function expectEnded(
  sessionId: string,
  person: { id: string; name: string; employeeNo: string },
  reason: string,
  ctx: RequestContext,
) {
  const session = await getDb().portalSession.findUniqueOrThrow({ where: { id: sessionId } });
  expect(session).toMatchObject({ revokedAt: expect.any(Date), revokedReason: reason });
  const row = await lastAuditRow({ action: "auth.session.expired", targetId: sessionId });
  expect(row).toMatchObject({
    actorId: person.id,
    actorName: `${person.name} (${person.employeeNo})`,
    targetType: "session",
    summary: { reason },
    ip: ctx.ip,
  });
  // Once only: the next check finds it revoked and writes nothing.
  const mark = await auditMark();
  expect(await checkSession(sessionId, ctx)).toEqual({ ok: false, reason: "revoked" });
  expect(await auditSince(mark)).toEqual([]);
}
