import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { issueOneTimePassword } from "@/lib/accounts/issue-one-time-password";
import { changePersonStatus } from "@/lib/people/change-person-status";
import { startSignIn } from "@/lib/auth/start-sign-in";
import { issueSession } from "@/lib/auth/issue-session";
import { checkSession } from "@/lib/auth/sessions";
import { changePassword } from "@/lib/auth/change-password";
import { checkPassword } from "@/lib/auth/password-policy";
import { verifyPassword } from "@/lib/auth/hashing";
import { generateOneTimePassword } from "@/lib/auth/one-time-password";
import {
  actorFor,
  auditMark,
  auditSince,
  auditText,
  expectDomainError,
  expectZodError,
  FACTORY,
  makeActor,
  makeOrgUnit,
  makePerson,
  testCtx,
  uniq,
} from "../factories";

type Input = Parameters<typeof issueOneTimePassword>[2];
const issue = (actor: Actor, input: Input) => inTransaction((tx) => issueOneTimePassword(tx, actor, input));

describe("issueOneTimePassword (people created in the portal or by import have no password)", () => {
  it("HR issues one: strong, only its hash stored, must be changed; sessions end; audited without the password; the person signs in and must change it", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const target = await makePerson({ password: null });
    const session = await getDb().portalSession.create({ data: { accountId: target.account.id } });
    const mark = await auditMark();
    const result = await issue(hr, { personId: target.person.id, reason: "New joiner, first sign-in" });
    expect(result).toMatchObject({ accountId: target.account.id, accountCreated: false, sessionsEnded: 1 });
    expect(checkPassword("modern", result.password, [target.employeeNo])).toEqual([]);
    expect(checkPassword("operator", result.password)).toEqual([]);

    const account = await getDb().masterAccount.findUniqueOrThrow({ where: { id: target.account.id } });
    expect(account.mustChangePassword).toBe(true);
    expect(account.passwordHash).not.toContain(result.password);
    expect(await verifyPassword(account.passwordHash!, result.password)).toBe(true);
    expect(await getDb().portalSession.findUniqueOrThrow({ where: { id: session.id } })).toMatchObject({ revokedReason: "password-reset" });

    const rows = await auditSince(mark);
    expect(rows.map((r) => r.action)).toEqual(["auth.password.reset"]);
    expect(rows[0]).toMatchObject({
      actorId: hr.personId,
      targetType: "account",
      targetId: target.account.id,
      reason: "New joiner, first sign-in",
      summary: {
        personId: target.person.id,
        employeeNo: target.employeeNo,
        accountCreated: false,
        mustChangePassword: true,
        sessionsEnded: 1,
      },
    });
    expect(auditText(rows)).not.toContain(result.password);

    // First sign-in: the one-time password works, the session demands a new password, the change clears it.
    const ctx = testCtx();
    const started = await inTransaction((tx) => startSignIn(tx, ctx, { login: target.employeeNo, password: result.password }));
    expect(started).toMatchObject({ ok: true, next: "complete" });
    const sid = await inTransaction((tx) => issueSession(tx, ctx, (started as { token: string }).token));
    expect(await checkSession(sid!, ctx)).toMatchObject({ ok: true, mustChangePassword: true });
    const me = await actorFor(target.person.id, { sessionId: sid });
    await inTransaction((tx) =>
      changePassword(tx, me, {
        currentPassword: result.password,
        newPassword: "Harbor-Violet-58-Quill",
        confirmPassword: "Harbor-Violet-58-Quill",
      }),
    );
    expect(await checkSession(sid!, ctx)).toMatchObject({ ok: true, mustChangePassword: false });
    // The one-time password is spent.
    expect(await inTransaction((tx) => startSignIn(tx, testCtx(), { login: target.employeeNo, password: result.password }))).toMatchObject({
      ok: false,
      code: "INVALID_CREDENTIALS",
    });
  });

  it("creates the master account when the person has none (exactly one, R2); a second issue replaces the first password", async () => {
    const { actor: sysadmin } = await makeActor(["SYSTEM_ADMIN"]);
    const org = await makeOrgUnit();
    const person = await getDb().person.create({
      data: { employeeNo: `T${uniq()}`, name: "Imported long ago", orgUnitId: org.id, jobTitle: "Clerk" },
    });
    const mark = await auditMark();
    const first = await issue(sysadmin, { personId: person.id, reason: "No account yet" });
    expect(first.accountCreated).toBe(true);
    expect((await auditSince(mark)).map((r) => [r.action, r.targetId])).toEqual([
      ["account.created", first.accountId],
      ["auth.password.reset", first.accountId],
    ]);
    const second = await issue(sysadmin, { personId: person.id, reason: "Lost it" });
    expect(second).toMatchObject({ accountId: first.accountId, accountCreated: false });
    expect(second.password).not.toBe(first.password);
    expect(await getDb().masterAccount.count({ where: { personId: person.id } })).toBe(1);
    const account = await getDb().masterAccount.findUniqueOrThrow({ where: { id: first.accountId } });
    expect(await verifyPassword(account.passwordHash!, first.password)).toBe(false);
  });

  it("a role that requires MFA still enrols TOTP at the first sign-in; a temporary lock-out is lifted", async () => {
    const { actor: sysadmin } = await makeActor(["SYSTEM_ADMIN"]);
    const target = await makePerson({ password: null, roles: ["ACCOUNT_ADMIN"] });
    await getDb().masterAccount.update({
      where: { id: target.account.id },
      data: { lockedUntil: new Date(Date.now() + 3_600_000), failedAttempts: 3 },
    });
    const { password } = await issue(sysadmin, { personId: target.person.id, reason: "Forgot" });
    expect(await getDb().masterAccount.findUniqueOrThrow({ where: { id: target.account.id } })).toMatchObject({
      lockedUntil: null,
      failedAttempts: 0,
    });
    expect(await inTransaction((tx) => startSignIn(tx, testCtx(), { login: target.employeeNo, password }))).toMatchObject({
      ok: true,
      next: "enrol",
    });
  });

  it("refuses oneself, a leaver, people without accounts:manage, and HR for a holder of portal roles; nothing written", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const { actor: sysadmin } = await makeActor(["SYSTEM_ADMIN"]);
    const leaver = await makePerson();
    await inTransaction((tx) => changePersonStatus(tx, FACTORY, { personId: leaver.person.id, status: "LEFT", reason: "Left" }));
    const approver = await makePerson({ roles: ["APPROVER"] });
    const plain = await makePerson();
    const before = await getDb().masterAccount.findUniqueOrThrow({ where: { id: plain.account.id } });
    const mark = await auditMark();
    await expectDomainError(issue(hr, { personId: hr.personId, reason: "Me" }), "FORBIDDEN");
    await expectDomainError(issue(hr, { personId: leaver.person.id, reason: "Back?" }), "PERSON_LEFT");
    await expectDomainError(issue(hr, { personId: approver.person.id, reason: "Take over" }), "FORBIDDEN");
    expect(await auditSince(mark)).toEqual([]);
    for (const roles of [
      [],
      ["SECURITY_OFFICER" as const],
      ["ACCOUNT_ADMIN" as const],
      [{ role: "APPROVER" as const, orgUnitId: plain.orgUnitId }],
    ]) {
      const { actor } = await makeActor(roles);
      const m = await auditMark();
      await expectDomainError(issue(actor, { personId: plain.person.id, reason: "Not mine" }), "FORBIDDEN");
      expect(await auditSince(m)).toEqual([]);
    }
    const m2 = await auditMark();
    await expectDomainError(issue(hr, { personId: "00000000-0000-4000-8000-000000000000", reason: "Nobody" }), "NOT_FOUND");
    for (const bad of [
      { personId: "<script>" },
      { personId: "" },
      { reason: "" },
      { reason: "x".repeat(10_000) },
      { reason: "a\u0000b" },
    ]) {
      await expectZodError(issue(hr, { personId: plain.person.id, reason: "ok reason", ...bad }));
    }
    expect(await auditSince(m2)).toEqual([]);
    expect(await getDb().masterAccount.findUniqueOrThrow({ where: { id: plain.account.id } })).toMatchObject({
      passwordHash: before.passwordHash,
      mustChangePassword: false,
    });
    // A system administrator may issue one to a role holder.
    await issue(sysadmin, { personId: approver.person.id, reason: "Locked out" });
  });

  it("generates passwords that satisfy either profile and avoid the person's identity", () => {
    for (let i = 0; i < 200; i++) {
      const p = generateOneTimePassword(i % 2 ? "operator" : "modern", ["T12345", "Zhang San"]);
      expect(p).toHaveLength(16);
      expect(checkPassword("operator", p, ["T12345"])).toEqual([]);
      expect(checkPassword("modern", p, ["T12345"])).toEqual([]);
    }
  });
});
