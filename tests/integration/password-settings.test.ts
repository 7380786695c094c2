// Changing one's password (lib/auth/change-password.ts) and the security settings
// (lib/settings/update-security-settings.ts). The only test that changes the global settings
// restores them in a `finally`.
import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import type { PersonActor } from "@/lib/authz/actor";
import { changePassword } from "@/lib/auth/change-password";
import { startSignIn } from "@/lib/auth/start-sign-in";
import { verifyPassword } from "@/lib/auth/hashing";
import { updateSecuritySettings } from "@/lib/settings/update-security-settings";
import { defaultSecuritySettings, getSecuritySettings, SECURITY_SETTINGS_KEY } from "@/lib/settings/security-settings";
import {
  actorName,
  auditMark,
  auditSince,
  DEFAULT_PASSWORD,
  expectDomainError,
  expectZodError,
  lastAuditRow,
  makeActor,
  testCtx,
} from "../factories";

function change(actor: PersonActor, currentPassword: string, newPassword: string) {
  return inTransaction((tx) => changePassword(tx, actor, { currentPassword, newPassword, confirmPassword: newPassword }));
}

async function passwordHash(actor: PersonActor): Promise<string> {
  return (await getDb().masterAccount.findUniqueOrThrow({ where: { id: actor.accountId } })).passwordHash!;
}

describe("changePassword", () => {
  it("changes the password, keeps the old hash in the history, and writes 'auth.password.changed'", async () => {
    const { actor, employeeNo } = await makeActor([], { mustChangePassword: true });
    const before = await passwordHash(actor);
    const mark = await auditMark();
    const next = "Velvet-Harbour-Comet-42";
    await change(actor, DEFAULT_PASSWORD, next);

    const account = await getDb().masterAccount.findUniqueOrThrow({ where: { id: actor.accountId } });
    expect(await verifyPassword(account.passwordHash!, next)).toBe(true);
    expect(account.mustChangePassword).toBe(false);
    expect(account.passwordChangedAt!.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(await getDb().passwordHistory.findMany({ where: { accountId: actor.accountId }, select: { hash: true } })).toEqual([
      { hash: before },
    ]);

    const rows = await auditSince(mark);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: "auth.password.changed",
      actorId: actor.personId,
      actorName: actorName(actor),
      targetType: "account",
      targetId: actor.accountId,
      summary: null,
    });
    expect(rows[0]!.reason).toBeNull();

    const signIn = (password: string) => inTransaction((tx) => startSignIn(tx, testCtx(), { login: employeeNo, password }));
    expect(await signIn(next)).toMatchObject({ ok: true });
    expect(await signIn(DEFAULT_PASSWORD)).toMatchObject({ ok: false, code: "INVALID_CREDENTIALS" });
  });

  it("refuses a wrong current password (PASSWORD_WRONG) and writes nothing", async () => {
    const { actor } = await makeActor();
    const before = await passwordHash(actor);
    const mark = await auditMark();
    const error = await expectDomainError(change(actor, "not-my-password", "Velvet-Harbour-Comet-42"), "PASSWORD_WRONG");
    expect(error.field).toBe("currentPassword");
    expect(await passwordHash(actor)).toBe(before);
    expect(await auditSince(mark)).toEqual([]);
  });

  it("refuses passwords that break the policy (modern profile), writing nothing", async () => {
    const { actor, employeeNo } = await makeActor();
    const before = await passwordHash(actor);
    const mark = await auditMark();
    const cases: [string, string][] = [
      ["short-1A", "too-short"],
      ["1qaz2wsx3edc", "common"],
      [`my-${employeeNo}-password`, "contains-identity"],
      ["x".repeat(129), "too-long"],
      [DEFAULT_PASSWORD, "reused"],
    ];
    for (const [password, rule] of cases) {
      const error = await expectDomainError(change(actor, DEFAULT_PASSWORD, password), "PASSWORD_POLICY");
      expect({ password, rule: error.params.rule, field: error.field }).toEqual({ password, rule, field: "newPassword" });
    }
    expect(await passwordHash(actor)).toBe(before);
    expect(await getDb().passwordHistory.count({ where: { accountId: actor.accountId } })).toBe(0);
    expect(await auditSince(mark)).toEqual([]);
  });

  it("operator profile: three character classes, and none of the last 5 passwords again (settings restored after)", async () => {
    const { actor: admin } = await makeActor(["SYSTEM_ADMIN"]);
    const original = await getSecuritySettings(getDb());
    expect(original.passwordProfile).toBe("modern");
    try {
      const mark = await auditMark();
      const updated = await inTransaction((tx) =>
        updateSecuritySettings(tx, admin, { ...original, passwordProfile: "operator" }, "Test: operator profile"),
      );
      expect(updated.passwordProfile).toBe("operator");
      expect(await auditSince(mark)).toEqual([
        expect.objectContaining({
          action: "settings.updated",
          actorId: admin.personId,
          targetType: "settings",
          targetId: SECURITY_SETTINGS_KEY,
          reason: "Test: operator profile",
          summary: { before: { passwordProfile: "modern" }, after: { passwordProfile: "operator" } },
        }),
      ]);

      const { actor } = await makeActor();
      expect((await expectDomainError(change(actor, DEFAULT_PASSWORD, "onlylowercaseletters"), "PASSWORD_POLICY")).params.rule).toBe(
        "character-classes",
      );

      // P0 (initial) → P1 … P5: the last five (P1–P5) may not come back, P0 may.
      const passwords = [DEFAULT_PASSWORD, ...[1, 2, 3, 4, 5].map((i) => `Rotate-${i}-Pw!x`)];
      for (let i = 1; i <= 5; i++) await change(actor, passwords[i - 1]!, passwords[i]!);
      expect(await getDb().passwordHistory.count({ where: { accountId: actor.accountId } })).toBe(5);
      const beforeReuse = await auditMark();
      for (let i = 1; i <= 5; i++) {
        const error = await expectDomainError(change(actor, passwords[5]!, passwords[i]!), "PASSWORD_POLICY");
        expect(error.params.rule).toBe("reused");
      }
      expect(await auditSince(beforeReuse)).toEqual([]);
      await change(actor, passwords[5]!, passwords[0]!);
      expect(await lastAuditRow({ action: "auth.password.changed", targetId: actor.accountId })).toMatchObject({ actorId: actor.personId });
    } finally {
      await inTransaction((tx) => updateSecuritySettings(tx, admin, defaultSecuritySettings(), "Test: restore the defaults"));
    }
    expect(await getSecuritySettings(getDb())).toEqual(original);
  });
});

describe("updateSecuritySettings", () => {
  it("refuses bad input with a ZodError and writes nothing", async () => {
    const { actor: admin } = await makeActor(["SYSTEM_ADMIN"]);
    const setting = () => getDb().setting.findUnique({ where: { key: SECURITY_SETTINGS_KEY } });
    const before = await setting();
    const mark = await auditMark();
    const good = defaultSecuritySettings();
    const bad: unknown[] = [
      { ...good, lockoutThreshold: 2 },
      { ...good, lockoutThreshold: "'; DROP TABLE setting; --" },
      { ...good, passwordProfile: "weak" },
      { ...good, mfaRequiredRoles: ["ROOT"] },
      { ...good, idleTimeoutMinutes: 1e9 },
      { ...good, absoluteTimeoutHours: 1.5 },
      { ...good, ipThrottleWindowMinutes: undefined },
      "<script>alert(1)</script>",
      null,
    ];
    for (const input of bad) await expectZodError(inTransaction((tx) => updateSecuritySettings(tx, admin, input, "Test: bad input")));
    expect(await setting()).toEqual(before);
    expect(await auditSince(mark)).toEqual([]);
  });

  it("refuses settings that let system administrators or security officers sign in without a second factor", async () => {
    const { actor: admin } = await makeActor(["SYSTEM_ADMIN"]);
    const setting = () => getDb().setting.findUnique({ where: { key: SECURITY_SETTINGS_KEY } });
    const before = await setting();
    const mark = await auditMark();
    const good = defaultSecuritySettings();
    for (const mfaRequiredRoles of [[], ["HR", "APPROVER"], ["SYSTEM_ADMIN"], ["SECURITY_OFFICER", "HR"]]) {
      const issues = await expectZodError(
        inTransaction((tx) => updateSecuritySettings(tx, admin, { ...good, mfaRequiredRoles }, "Test: drop mandatory MFA")),
      );
      expect(issues).toEqual([expect.objectContaining({ path: ["mfaRequiredRoles"], message: "mfa-roles-mandatory" })]);
    }
    expect(await setting()).toEqual(before);
    expect(await auditSince(mark)).toEqual([]);
    // The two mandatory roles alone, or everyone ("STAFF"), are accepted.
    for (const mfaRequiredRoles of [["SYSTEM_ADMIN", "SECURITY_OFFICER"], ["STAFF"]]) {
      await inTransaction((tx) => updateSecuritySettings(tx, admin, { ...good, mfaRequiredRoles }, "Test: allowed MFA roles"));
      expect((await getSecuritySettings(getDb())).mfaRequiredRoles).toEqual(mfaRequiredRoles);
    }
    await inTransaction((tx) => updateSecuritySettings(tx, admin, good, "Test: restore the defaults"));
  });

  it("is for system administrators only (FORBIDDEN, nothing written)", async () => {
    const mark = await auditMark();
    for (const roles of [[], ["HR"], ["SECURITY_OFFICER"]] as const) {
      const { actor } = await makeActor([...roles]);
      const m = await auditMark();
      await expectDomainError(
        inTransaction((tx) =>
          updateSecuritySettings(tx, actor, { ...defaultSecuritySettings(), lockoutThreshold: 3 }, "Test: not allowed"),
        ),
        "FORBIDDEN",
      );
      expect((await auditSince(m)).filter((r) => r.action === "settings.updated")).toEqual([]);
    }
    expect((await auditSince(mark)).filter((r) => r.action === "settings.updated")).toEqual([]);
    expect((await getSecuritySettings(getDb())).lockoutThreshold).toBe(5);
  });
});
