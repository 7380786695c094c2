// Hostile input at the use-case boundary: a clean ZodError or DomainError and nothing written, or,
// where the text is legitimate (a name with "<" in it), stored and audited verbatim.
import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import { createPerson } from "@/lib/people/create-person";
import { grantPortalRole } from "@/lib/portal-roles/grant-portal-role";
import { setAccountStatus } from "@/lib/accounts/set-account-status";
import { startSignIn, SignInInput } from "@/lib/auth/start-sign-in";
import { revokeAllSessions } from "@/lib/auth/sign-out";
import { DomainError } from "@/lib/errors";
import { ZodError } from "zod";
import {
  auditMark,
  auditSince,
  expectZodError,
  FACTORY,
  lastAuditRow,
  makeActor,
  makeOrgUnit,
  makePerson,
  rejectionOf,
  testCtx,
  uniq,
} from "../factories";

const SCRIPT = "<script>alert(1)</script>";
const SQL = "'; DROP TABLE person; --";
const SQL2 = "Robert'); DELETE FROM audit_event WHERE ('1'='1";
const EMOJI = "😀👩‍💻🇨🇳";
const HUGE = "x".repeat(10_000);
const BLANK = " \t\n ";
const HOSTILE = [SCRIPT, SQL, SQL2, EMOJI, HUGE, BLANK, "", "../../etc/passwd", "%00", "${jndi:ldap://x}"];

async function tablesStillThere() {
  // Each of these would throw if a fragment had been executed.
  await getDb().person.count();
  await getDb().auditEvent.count();
}

describe("createPerson with hostile input", () => {
  const base = (orgUnitId: string) => ({
    employeeNo: `B${uniq()}`,
    name: "Li Na",
    orgUnitId,
    jobTitle: "Analyst",
    employmentType: "EMPLOYEE" as const,
  });

  it("refuses hostile values in structured fields with a ZodError, writing nothing", async () => {
    const unit = await makeOrgUnit();
    const mark = await auditMark();
    const before = await getDb().person.count();
    const fields = ["employeeNo", "orgUnitId", "employmentType", "phone", "email", "idNumber"] as const;
    for (const field of fields) {
      for (const value of HOSTILE) {
        if (value === "" && ["phone", "email", "idNumber"].includes(field)) continue; // empty optional fields are allowed
        if (/^\s*$/.test(value) && ["phone", "email", "idNumber"].includes(field)) continue;
        const input = { ...base(unit.id), [field]: value };
        const issues = await expectZodError(inTransaction((tx) => createPerson(tx, FACTORY, input as never)));
        expect(issues.map((i) => i.path.join("."))).toContain(field);
      }
    }
    // Free-text fields: too long or blank.
    for (const field of ["name", "jobTitle"] as const) {
      for (const value of [HUGE, BLANK, ""]) {
        const issues = await expectZodError(
          inTransaction((tx) => createPerson(tx, FACTORY, { ...base(unit.id), [field]: value } as never)),
        );
        expect(issues[0]!.path).toEqual([field]);
      }
    }
    expect(await getDb().person.count()).toBe(before);
    expect(await auditSince(mark)).toEqual([]);
    await tablesStillThere();
  });

  it("stores markup, SQL fragments and emoji in a name verbatim (parameterised), audited as given", async () => {
    const unit = await makeOrgUnit();
    for (const name of [SCRIPT, SQL, SQL2, EMOJI, `王${EMOJI}`]) {
      const { person } = await inTransaction((tx) => createPerson(tx, FACTORY, { ...base(unit.id), name }));
      expect((await getDb().person.findUniqueOrThrow({ where: { id: person.id } })).name).toBe(name);
      expect(await lastAuditRow({ action: "person.created", targetId: person.id })).toMatchObject({ summary: { after: { name } } });
    }
    await tablesStillThere();
  });
});

describe("grantPortalRole with hostile input", () => {
  it("refuses hostile ids, roles and reasons with a ZodError, writing nothing", async () => {
    const { actor: admin } = await makeActor(["SYSTEM_ADMIN"]);
    const target = await makePerson();
    const mark = await auditMark();
    const good = { personId: target.person.id, role: "HR" as const, reason: "Valid reason" };
    for (const value of HOSTILE) {
      for (const field of ["personId", "role", "systemId", "orgUnitId"] as const) {
        await expectZodError(inTransaction((tx) => grantPortalRole(tx, admin, { ...good, [field]: value } as never)));
      }
    }
    for (const reason of [HUGE, BLANK, "", "x", "x".repeat(501)]) {
      const issues = await expectZodError(inTransaction((tx) => grantPortalRole(tx, admin, { ...good, reason })));
      expect(issues[0]!.path).toEqual(["reason"]);
    }
    expect(await getDb().portalRoleAssignment.count({ where: { personId: target.person.id } })).toBe(0);
    expect(await auditSince(mark)).toEqual([]);
  });

  it("keeps a reason with markup or SQL verbatim in the audit row", async () => {
    const { actor: admin } = await makeActor(["SYSTEM_ADMIN"]);
    for (const [i, reason] of [SCRIPT, SQL2, EMOJI].entries()) {
      const target = await makePerson();
      await inTransaction((tx) =>
        grantPortalRole(tx, admin, { personId: target.person.id, role: i === 0 ? "HR" : "SECURITY_OFFICER", reason }),
      );
      expect(await lastAuditRow({ action: "portal-role.granted", targetId: target.person.id })).toMatchObject({ reason });
    }
    await tablesStillThere();
  });
});

describe("setAccountStatus with hostile input", () => {
  it("refuses hostile ids, changes and reasons with a ZodError: status unchanged, nothing written", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const target = await makePerson();
    const mark = await auditMark();
    const good = { accountId: target.account.id, change: "lock" as const, reason: "Valid reason" };
    for (const value of HOSTILE) {
      await expectZodError(inTransaction((tx) => setAccountStatus(tx, hr, { ...good, accountId: value })));
      await expectZodError(inTransaction((tx) => setAccountStatus(tx, hr, { ...good, change: value as "lock" })));
    }
    for (const reason of [HUGE, BLANK, "", "x"]) {
      await expectZodError(inTransaction((tx) => setAccountStatus(tx, hr, { ...good, reason })));
    }
    await expectZodError(inTransaction((tx) => setAccountStatus(tx, hr, { ...good, change: "delete" as "lock" })));
    expect((await getDb().masterAccount.findUniqueOrThrow({ where: { id: target.account.id } })).status).toBe("ACTIVE");
    expect(await auditSince(mark)).toEqual([]);
  });
});

describe("revokeAllSessions with hostile input", () => {
  // BUG (lib/auth/sign-out.ts:17): neither the account id nor the reason is validated in the use case;
  // a malformed id from a tampered form reaches PostgreSQL (a driver error, 500) instead of a clean
  // 400. Remove `.fails` once the use case parses { accountId: uuid, reason: ReasonInput }.
  it("refuses a malformed account id with a ZodError or DomainError", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const error = await rejectionOf(inTransaction((tx) => revokeAllSessions(tx, hr, SQL, "Valid reason")));
    expect(error instanceof ZodError || error instanceof DomainError, String(error)).toBe(true);
  });

  it("writes nothing for a malformed account id", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const mark = await auditMark();
    await expect(inTransaction((tx) => revokeAllSessions(tx, hr, SQL, "Valid reason"))).rejects.toThrow();
    expect(await auditSince(mark)).toEqual([]);
  });
});

describe("sign-in with hostile input", () => {
  it("validates the form (SignInInput) and answers INVALID_CREDENTIALS to hostile logins, recorded verbatim", async () => {
    expect(SignInInput.safeParse({ login: HUGE, password: "x" }).success).toBe(false);
    expect(SignInInput.safeParse({ login: BLANK, password: "x" }).success).toBe(false);
    expect(SignInInput.safeParse({ login: "a", password: "x".repeat(1025) }).success).toBe(false);
    const ctx = testCtx();
    for (const login of [SCRIPT, SQL, SQL2, EMOJI, "*"]) {
      const result = await inTransaction((tx) => startSignIn(tx, ctx, SignInInput.parse({ login, password: SQL })));
      expect(result).toMatchObject({ ok: false, code: "INVALID_CREDENTIALS" });
      expect(await lastAuditRow({ action: "auth.sign-in.failed", actorName: login })).toMatchObject({
        summary: { login, detail: "unknown-login" },
      });
    }
    await tablesStillThere();
  });
});

describe("NUL bytes (PostgreSQL cannot store U+0000 in text)", () => {
  // PostgreSQL refuses U+0000 in text: every string input goes through lib/validation.ts text(), which
  // refuses control characters with the field error "invalid" before anything reaches the database.
  it("createPerson refuses a NUL byte in the name with a ZodError", async () => {
    const unit = await makeOrgUnit();
    await expectZodError(
      inTransaction((tx) =>
        createPerson(tx, FACTORY, {
          employeeNo: `B${uniq()}`,
          name: "Li\u0000Na",
          orgUnitId: unit.id,
          jobTitle: "Analyst",
          employmentType: "EMPLOYEE",
        }),
      ),
    );
  });

  it("setAccountStatus refuses a NUL byte in the reason with a ZodError", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const target = await makePerson();
    await expectZodError(
      inTransaction((tx) => setAccountStatus(tx, hr, { accountId: target.account.id, change: "lock", reason: "bad\u0000reason" })),
    );
  });

  it("the sign-in form refuses a NUL byte in the login or password with a field error; startSignIn itself still answers INVALID_CREDENTIALS", async () => {
    for (const input of [
      { login: "a\u0000b", password: "whatever" },
      { login: "E0001", password: "what\u0000ever" },
    ]) {
      const parsed = SignInInput.safeParse(input);
      expect(parsed.success).toBe(false);
      expect(parsed.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([
        [input.login === "E0001" ? "password" : "login", "invalid"],
      ]);
    }
    const result = await inTransaction((tx) => startSignIn(tx, testCtx(), { login: "a\u0000b", password: "whatever" }));
    expect(result).toMatchObject({ ok: false, code: "INVALID_CREDENTIALS" });
  });

  it("whatever the error, nothing is written", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const target = await makePerson();
    const unit = await makeOrgUnit();
    const mark = await auditMark();
    const employeeNo = `B${uniq()}`;
    await expect(
      inTransaction((tx) =>
        createPerson(tx, FACTORY, { employeeNo, name: "Li\u0000Na", orgUnitId: unit.id, jobTitle: "Analyst", employmentType: "EMPLOYEE" }),
      ),
    ).rejects.toThrow();
    await expect(
      inTransaction((tx) => setAccountStatus(tx, hr, { accountId: target.account.id, change: "lock", reason: "bad\u0000reason" })),
    ).rejects.toThrow();
    await expect(
      inTransaction((tx) => grantPortalRole(tx, FACTORY, { personId: target.person.id, role: "HR", reason: "bad\u0000reason" })),
    ).rejects.toThrow();
    expect(await getDb().person.findUnique({ where: { employeeNo } })).toBeNull();
    expect((await getDb().masterAccount.findUniqueOrThrow({ where: { id: target.account.id } })).status).toBe("ACTIVE");
    expect(await getDb().portalRoleAssignment.count({ where: { personId: target.person.id } })).toBe(0);
    expect(await auditSince(mark)).toEqual([]);
  });
});
