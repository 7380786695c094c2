// Master-account administration (lib/accounts/*) and signing out (lib/auth/sign-out.ts).
import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { setAccountStatus } from "@/lib/accounts/set-account-status";
import { resetMfa } from "@/lib/accounts/reset-mfa";
import { regenerateRecoveryCodes } from "@/lib/accounts/regenerate-recovery-codes";
import { revokeAllSessions, signOut } from "@/lib/auth/sign-out";
import { checkSession } from "@/lib/auth/sessions";
import { startSignIn } from "@/lib/auth/start-sign-in";
import { hashRecoveryCode } from "@/lib/auth/totp";
import {
  actorFor,
  actorName,
  auditMark,
  auditSince,
  DEFAULT_PASSWORD,
  enrolTotp,
  expectDomainError,
  lastAuditRow,
  makeActor,
  makePerson,
  signInStaff,
  testCtx,
} from "../factories";

function setStatus(actor: Actor, accountId: string, change: "lock" | "unlock" | "disable" | "enable", reason = `Test: ${change}`) {
  return inTransaction((tx) => setAccountStatus(tx, actor, { accountId, change, reason }));
}

async function openSessions(accountId: string): Promise<number> {
  return getDb().portalSession.count({ where: { accountId, revokedAt: null } });
}

describe("setAccountStatus", () => {
  it("locks an account, ending its sessions, with 'account.locked' (before/after, reason)", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const target = await makePerson();
    const s1 = await signInStaff(target.employeeNo);
    const s2 = await signInStaff(target.employeeNo);
    const mark = await auditMark();
    expect(await setStatus(hr, target.account.id, "lock", "  Suspicious activity, ticket SEC-1  ")).toEqual({
      status: "LOCKED",
      sessionsEnded: 2,
    });

    expect((await getDb().masterAccount.findUniqueOrThrow({ where: { id: target.account.id } })).status).toBe("LOCKED");
    expect(await openSessions(target.account.id)).toBe(0);
    expect(await getDb().portalSession.findUniqueOrThrow({ where: { id: s1 } })).toMatchObject({ revokedReason: "lock" });
    const rows = await auditSince(mark);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: "account.locked",
      actorId: hr.personId,
      actorName: actorName(hr),
      targetType: "account",
      targetId: target.account.id,
      summary: { before: { status: "ACTIVE" }, after: { status: "LOCKED" }, sessionsEnded: 2 },
      reason: "Suspicious activity, ticket SEC-1",
      requestId: hr.ctx.requestId,
      ip: hr.ctx.ip,
    });
    expect(await checkSession(s2, testCtx())).toEqual({ ok: false, reason: "revoked" });
    expect(await inTransaction((tx) => startSignIn(tx, testCtx(), { login: target.employeeNo, password: DEFAULT_PASSWORD }))).toMatchObject(
      { ok: false, code: "INVALID_CREDENTIALS" },
    );

    // Unlock → ACTIVE again, and the temporary-lock counters cleared.
    await getDb().masterAccount.update({
      where: { id: target.account.id },
      data: { failedAttempts: 3, lockedUntil: new Date(Date.now() + 60_000) },
    });
    expect(await setStatus(hr, target.account.id, "unlock")).toEqual({ status: "ACTIVE", sessionsEnded: 0 });
    expect(await getDb().masterAccount.findUniqueOrThrow({ where: { id: target.account.id } })).toMatchObject({
      status: "ACTIVE",
      failedAttempts: 0,
      lockedUntil: null,
    });
    expect(await lastAuditRow({ action: "account.unlocked", targetId: target.account.id })).toMatchObject({
      actorId: hr.personId,
      summary: { before: { status: "LOCKED" }, after: { status: "ACTIVE" }, sessionsEnded: 0 },
      reason: "Test: unlock",
    });
  });

  it("disables (from ACTIVE or LOCKED) and enables, each audited", async () => {
    const { actor: admin } = await makeActor(["SYSTEM_ADMIN"]);
    const target = await makePerson();
    await signInStaff(target.employeeNo);
    expect(await setStatus(admin, target.account.id, "disable")).toEqual({ status: "DISABLED", sessionsEnded: 1 });
    expect(await lastAuditRow({ action: "account.disabled", targetId: target.account.id })).toMatchObject({
      actorId: admin.personId,
      summary: { before: { status: "ACTIVE" }, after: { status: "DISABLED" }, sessionsEnded: 1 },
    });
    expect(await setStatus(admin, target.account.id, "enable")).toEqual({ status: "ACTIVE", sessionsEnded: 0 });
    expect(await lastAuditRow({ action: "account.enabled", targetId: target.account.id })).toMatchObject({
      summary: { before: { status: "DISABLED" }, after: { status: "ACTIVE" } },
    });
    await setStatus(admin, target.account.id, "lock");
    expect(await setStatus(admin, target.account.id, "disable")).toMatchObject({ status: "DISABLED" });
    expect(await lastAuditRow({ action: "account.disabled", targetId: target.account.id })).toMatchObject({
      summary: { before: { status: "LOCKED" } },
    });
  });

  it("refuses a change from the wrong state (CONFLICT) and writes nothing", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const target = await makePerson();
    const mark = await auditMark();
    for (const change of ["unlock", "enable"] as const) {
      const error = await expectDomainError(setStatus(hr, target.account.id, change), "CONFLICT");
      expect(error.params).toEqual({ status: "ACTIVE" });
    }
    await setStatus(hr, target.account.id, "disable");
    const afterDisable = await auditMark();
    await expectDomainError(setStatus(hr, target.account.id, "lock"), "CONFLICT");
    await expectDomainError(setStatus(hr, target.account.id, "disable"), "CONFLICT");
    expect(await auditSince(afterDisable)).toEqual([]);
    expect((await auditSince(mark)).map((r) => r.action)).toEqual(["account.disabled"]);
  });

  it("refuses staff, officers and approvers (FORBIDDEN): nothing changes, no row, sessions stay", async () => {
    const target = await makePerson();
    await signInStaff(target.employeeNo);
    for (const roles of [[], ["SECURITY_OFFICER"], ["APPROVER"]] as const) {
      const { actor } = await makeActor([...roles]);
      const mark = await auditMark();
      await expectDomainError(setStatus(actor, target.account.id, "lock"), "FORBIDDEN");
      expect(await auditSince(mark)).toEqual([]);
    }
    expect((await getDb().masterAccount.findUniqueOrThrow({ where: { id: target.account.id } })).status).toBe("ACTIVE");
    expect(await openSessions(target.account.id)).toBe(1);
  });

  it("does not let an administrator lock or disable their own account", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const mark = await auditMark();
    await expectDomainError(setStatus(hr, hr.accountId, "lock"), "FORBIDDEN");
    await expectDomainError(setStatus(hr, hr.accountId, "disable"), "FORBIDDEN");
    expect(await auditSince(mark)).toEqual([]);
  });

  it("answers NOT_FOUND for an unknown account", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    await expectDomainError(setStatus(hr, "00000000-0000-4000-8000-000000000000", "lock"), "NOT_FOUND");
  });
});

describe("resetMfa", () => {
  it("clears the authenticator, recovery codes and sessions, with 'auth.mfa.reset'", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const target = await makePerson();
    await enrolTotp(target.account.id);
    await inTransaction(async (tx) => regenerateRecoveryCodes(tx, await actorFor(target.person.id)));
    await getDb().portalSession.create({ data: { accountId: target.account.id } });
    const mark = await auditMark();
    await inTransaction((tx) => resetMfa(tx, hr, { accountId: target.account.id, reason: "Lost phone, ticket IT-7" }));

    expect(await getDb().masterAccount.findUniqueOrThrow({ where: { id: target.account.id } })).toMatchObject({
      totpSecretEnc: null,
      totpEnrolledAt: null,
      totpLastStep: null,
    });
    expect(await getDb().recoveryCode.count({ where: { accountId: target.account.id } })).toBe(0);
    expect(await openSessions(target.account.id)).toBe(0);
    expect(await auditSince(mark)).toEqual([
      expect.objectContaining({
        action: "auth.mfa.reset",
        actorId: hr.personId,
        targetType: "account",
        targetId: target.account.id,
        reason: "Lost phone, ticket IT-7",
      }),
    ]);
    // Nothing left to reset.
    await expectDomainError(
      inTransaction((tx) => resetMfa(tx, hr, { accountId: target.account.id, reason: "Again" })),
      "CONFLICT",
    );
  });

  it("resets the second factor of a portal-role holder for a system administrator only", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const { actor: admin } = await makeActor(["SYSTEM_ADMIN"]);
    for (const role of ["SECURITY_OFFICER", "HR", "SYSTEM_ADMIN"] as const) {
      const target = await makePerson({ roles: [role] });
      await enrolTotp(target.account.id);
      const mark = await auditMark();
      await expectDomainError(
        inTransaction((tx) => resetMfa(tx, hr, { accountId: target.account.id, reason: "Take over the officer" })),
        "FORBIDDEN",
      );
      expect((await getDb().masterAccount.findUniqueOrThrow({ where: { id: target.account.id } })).totpEnrolledAt).not.toBeNull();
      expect(await auditSince(mark)).toEqual([]);
      await inTransaction((tx) => resetMfa(tx, admin, { accountId: target.account.id, reason: "Lost phone, ticket IT-8" }));
      expect((await getDb().masterAccount.findUniqueOrThrow({ where: { id: target.account.id } })).totpEnrolledAt).toBeNull();
    }
  });

  it("refuses staff (FORBIDDEN) and leaves the authenticator in place", async () => {
    const { actor } = await makeActor();
    const target = await makePerson();
    await enrolTotp(target.account.id);
    const mark = await auditMark();
    await expectDomainError(
      inTransaction((tx) => resetMfa(tx, actor, { accountId: target.account.id, reason: "Not mine to reset" })),
      "FORBIDDEN",
    );
    expect((await getDb().masterAccount.findUniqueOrThrow({ where: { id: target.account.id } })).totpEnrolledAt).not.toBeNull();
    expect(await auditSince(mark)).toEqual([]);
  });
});

describe("regenerateRecoveryCodes", () => {
  it("replaces the codes with 10 new ones, with 'auth.recovery-codes.regenerated'", async () => {
    const { actor, account } = await makeActor();
    await enrolTotp(account.id);
    const first = await inTransaction((tx) => regenerateRecoveryCodes(tx, actor));
    const mark = await auditMark();
    const second = await inTransaction((tx) => regenerateRecoveryCodes(tx, actor));
    expect(second).toHaveLength(10);
    expect(second.filter((c) => first.includes(c))).toEqual([]);
    const stored = await getDb().recoveryCode.findMany({ where: { accountId: account.id } });
    expect(stored.map((c) => c.codeHash).sort()).toEqual(second.map(hashRecoveryCode).sort());
    const rows = await auditSince(mark);
    expect(rows).toEqual([
      expect.objectContaining({
        action: "auth.recovery-codes.regenerated",
        actorId: actor.personId,
        targetId: account.id,
        summary: { count: 10 },
      }),
    ]);
  });

  it("refuses a person without an authenticator (CONFLICT)", async () => {
    const { actor } = await makeActor();
    const mark = await auditMark();
    await expectDomainError(
      inTransaction((tx) => regenerateRecoveryCodes(tx, actor)),
      "CONFLICT",
    );
    expect(await getDb().recoveryCode.count({ where: { accountId: actor.accountId } })).toBe(0);
    expect(await auditSince(mark)).toEqual([]);
  });
});

describe("signOut and revokeAllSessions", () => {
  it("signOut ends the current session once, with 'auth.sign-out'", async () => {
    const target = await makePerson();
    const sessionId = await signInStaff(target.employeeNo);
    const other = await signInStaff(target.employeeNo);
    const actor = await actorFor(target.person.id, { sessionId });
    const mark = await auditMark();
    await inTransaction((tx) => signOut(tx, actor));
    expect(await getDb().portalSession.findUniqueOrThrow({ where: { id: sessionId } })).toMatchObject({
      revokedAt: expect.any(Date),
      revokedReason: "sign-out",
    });
    expect(await getDb().portalSession.findUniqueOrThrow({ where: { id: other } })).toMatchObject({ revokedAt: null });
    expect(await auditSince(mark)).toEqual([
      expect.objectContaining({ action: "auth.sign-out", actorId: target.person.id, targetType: "session", targetId: sessionId }),
    ]);
    // Twice, or without a session: nothing more.
    await inTransaction((tx) => signOut(tx, actor));
    await inTransaction((tx) => signOut(tx, { ...actor, sessionId: null }));
    expect(await auditSince(mark)).toHaveLength(1);
  });

  it("revokeAllSessions ends every open session of one's own account ('sign out everywhere')", async () => {
    const target = await makePerson();
    const bystander = await makePerson();
    await signInStaff(target.employeeNo);
    await signInStaff(target.employeeNo);
    await signInStaff(bystander.employeeNo);
    const actor = await actorFor(target.person.id);
    const mark = await auditMark();
    expect(await inTransaction((tx) => revokeAllSessions(tx, actor, actor.accountId, "sign-out-everywhere"))).toBe(2);
    expect(await openSessions(target.account.id)).toBe(0);
    expect(await openSessions(bystander.account.id)).toBe(1);
    expect(await auditSince(mark)).toEqual([
      expect.objectContaining({
        action: "auth.sessions.revoked",
        actorId: target.person.id,
        targetType: "account",
        targetId: target.account.id,
        summary: { sessions: 2 },
        reason: "sign-out-everywhere",
      }),
    ]);
  });

  it("revokeAllSessions on someone else's account needs accounts:manage", async () => {
    const target = await makePerson();
    await signInStaff(target.employeeNo);
    const { actor: staff } = await makeActor();
    const mark = await auditMark();
    await expectDomainError(
      inTransaction((tx) => revokeAllSessions(tx, staff, target.account.id, "Not allowed")),
      "FORBIDDEN",
    );
    expect(await openSessions(target.account.id)).toBe(1);
    expect(await auditSince(mark)).toEqual([]);

    const { actor: hr } = await makeActor(["HR"]);
    expect(await inTransaction((tx) => revokeAllSessions(tx, hr, target.account.id, "Device stolen, ticket SEC-9"))).toBe(1);
    expect(await lastAuditRow({ action: "auth.sessions.revoked", targetId: target.account.id })).toMatchObject({
      actorId: hr.personId,
      reason: "Device stolen, ticket SEC-9",
      summary: { sessions: 1 },
    });
  });
});
