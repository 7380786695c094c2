import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import type { DomainError } from "@/lib/errors";
import { changeRoleMatrix } from "@/lib/systems/change-role-matrix";
import { grantRole } from "@/lib/grants/grant-role";
import { createSodRule, deactivateSodRule } from "@/lib/policy/sod-rules";
import { recheckPolicies } from "@/lib/policy/recheck-policies";
import { FindingFilter, FINDINGS_PAGE_SIZE, listFindings, listPairOptions } from "@/lib/policy/queries";
import {
  auditMark,
  auditSince,
  expectDomainError,
  expectZodError,
  lastAuditRow,
  makeActor,
  makeJobRole,
  makePerson,
  makeSystem,
  rejectionOf,
  uniq,
} from "../factories";

async function roleIn(actor: Actor, systemId: string, perm: { sensitivity: "LOW" | "SENSITIVE"; dataKind?: "NONE" | "IDENTITY" }) {
  const { role, permissions } = await makeJobRole(actor, systemId, { name: "r", permissions: [perm] });
  return { role, permission: permissions[0]! };
}

describe("incompatible pairs (R6, configurable)", () => {
  it("an officer adds a role pair; the next grant of the pair is refused; the rule can be deactivated", async () => {
    const system = await makeSystem({ kind: "PLATFORM" });
    const admin = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: system.id }]);
    const officer = await makeActor(["SECURITY_OFFICER"]);
    const a = await roleIn(admin.actor, system.id, { sensitivity: "LOW" });
    const b = await roleIn(admin.actor, system.id, { sensitivity: "LOW" });
    const rule = await inTransaction((tx) =>
      createSodRule(tx, officer.actor, { kind: "ROLE_PAIR", leftId: a.role.id, rightId: b.role.id, description: "Maker and checker" }),
    );
    expect(await lastAuditRow({ action: "sod-rule.created", targetId: rule.id })).toMatchObject({ actorId: officer.person.id });
    await expectDomainError(
      inTransaction((tx) =>
        createSodRule(tx, officer.actor, { kind: "ROLE_PAIR", leftId: b.role.id, rightId: a.role.id, description: "Again" }),
      ),
      "ALREADY_EXISTS",
    );

    const person = await makePerson();
    await inTransaction((tx) => grantRole(tx, admin.actor, { personId: person.person.id, roleId: a.role.id, reason: "maker" }));
    const error = (await rejectionOf(
      inTransaction((tx) => grantRole(tx, admin.actor, { personId: person.person.id, roleId: b.role.id, reason: "checker" })),
    )) as DomainError;
    expect((error.details as { code: string }[]).map((v) => v.code)).toEqual(["SOD_ROLE_PAIR"]);
    // The refusal quotes the officer's reason for the pair.
    expect((error.details as { params: Record<string, string> }[])[0]!.params.description).toBe("Maker and checker");

    await inTransaction((tx) => deactivateSodRule(tx, officer.actor, { ruleId: rule.id, reason: "Merged duties" }));
    await inTransaction((tx) => grantRole(tx, admin.actor, { personId: person.person.id, roleId: b.role.id, reason: "checker" }));
  });

  it("is for security officers only, and refuses a pair of one item or unknown items", async () => {
    const system = await makeSystem();
    const admin = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: system.id }]);
    const officer = await makeActor(["SECURITY_OFFICER"]);
    const a = await roleIn(admin.actor, system.id, { sensitivity: "LOW" });
    const mark = await auditMark();
    await expectDomainError(
      inTransaction((tx) =>
        createSodRule(tx, admin.actor, { kind: "ROLE_PAIR", leftId: a.role.id, rightId: a.permission.id, description: "x" }),
      ),
      "FORBIDDEN",
    );
    await expectZodError(
      inTransaction((tx) =>
        createSodRule(tx, officer.actor, { kind: "ROLE_PAIR", leftId: a.role.id, rightId: a.role.id, description: "x" }),
      ),
    );
    await expectDomainError(
      inTransaction((tx) =>
        createSodRule(tx, officer.actor, { kind: "ROLE_PAIR", leftId: a.role.id, rightId: a.permission.id, description: "x" }),
      ),
      "NOT_FOUND",
    );
    expect(await auditSince(mark)).toEqual([]);
  });
});

describe("the continuous check", () => {
  it("finds grants that a later rule makes incompatible, names the later grant, and is audited", async () => {
    const system = await makeSystem({ kind: "PLATFORM" });
    const admin = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: system.id }]);
    const officer = await makeActor(["SECURITY_OFFICER"]);
    const a = await roleIn(admin.actor, system.id, { sensitivity: "LOW" });
    const b = await roleIn(admin.actor, system.id, { sensitivity: "LOW" });
    const person = await makePerson();
    await inTransaction((tx) => grantRole(tx, admin.actor, { personId: person.person.id, roleId: a.role.id, reason: "first" }));
    const later = await inTransaction((tx) =>
      grantRole(tx, admin.actor, { personId: person.person.id, roleId: b.role.id, reason: "second" }),
    );
    await inTransaction((tx) =>
      createSodRule(tx, officer.actor, { kind: "ROLE_PAIR", leftId: a.role.id, rightId: b.role.id, description: "Maker and checker" }),
    );

    const result = await recheckPolicies(officer.actor);
    expect(result.findings).toBeGreaterThanOrEqual(1);
    const mine = (await listFindings(admin.actor)).rows.filter((f) => f.personId === person.person.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ code: "SOD_ROLE_PAIR", rule: "R6", grantId: later.id });
    expect(await lastAuditRow({ action: "policy.rechecked" })).toMatchObject({ actorId: officer.person.id });

    // Running the check is a security officer's action.
    const staff = await makeActor();
    await expectDomainError(recheckPolicies(staff.actor), "FORBIDDEN");
  });

  it("catches a matrix change that gives a third party a sensitive permission (R4)", async () => {
    const system = await makeSystem({ kind: "PLATFORM" });
    const admin = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: system.id }]);
    const officer = await makeActor(["SECURITY_OFFICER"]);
    const low = await roleIn(admin.actor, system.id, { sensitivity: "LOW" });
    const contractor = await makePerson({ employmentType: "THIRD_PARTY" });
    const g = await inTransaction((tx) =>
      grantRole(tx, admin.actor, {
        personId: contractor.person.id,
        roleId: low.role.id,
        endsAt: new Date(Date.now() + 30 * 86_400_000),
        reason: "vendor work",
      }),
    );
    const sensitive = await roleIn(admin.actor, system.id, { sensitivity: "SENSITIVE", dataKind: "IDENTITY" });
    await inTransaction((tx) =>
      changeRoleMatrix(tx, admin.actor, {
        systemId: system.id,
        add: [{ roleId: low.role.id, permissionId: sensitive.permission.id }],
        remove: [],
        reason: "scope creep",
      }),
    );
    await recheckPolicies(officer.actor);
    const found = await getDb().policyFinding.findMany({ where: { personId: contractor.person.id } });
    expect(found.map((f) => [f.code, f.grantId])).toEqual([["THIRD_PARTY_SENSITIVE_PERMISSION", g.id]]);
  });
});

describe("the findings list and the pair form's choices", () => {
  it("filters by system, rule and person, pages by keyset without gaps or repeats, and keeps to an administrator's systems", async () => {
    const sysA = await makeSystem();
    const sysB = await makeSystem();
    const adminA = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: sysA.id }]);
    const officer = await makeActor(["SECURITY_OFFICER"]);
    const tag = uniq();
    const p1 = await makePerson({ name: `Finder ${tag} One` });
    const p2 = await makePerson({ name: `Finder ${tag} Two` });
    const base = Date.now() - 3_600_000;
    // 130 on system A for p1 (R6), ten sharing one instant so the page boundary falls among equal times; 3 on B for p2 (R10).
    const rows = [
      ...Array.from({ length: 130 }, (_, i) => ({
        personId: p1.person.id,
        systemId: sysA.id,
        code: "SOD_ROLE_PAIR",
        rule: "R6",
        params: {},
        detectedAt: new Date(base - (i < 10 ? 0 : i) * 1000),
      })),
      ...Array.from({ length: 3 }, (_, i) => ({
        personId: p2.person.id,
        systemId: sysB.id,
        code: "THIRD_PARTY_ADMIN_ROLE",
        rule: "R10",
        params: {},
        detectedAt: new Date(base - i * 1000),
      })),
    ];
    await getDb().policyFinding.createMany({ data: rows });

    const first = await listFindings(officer.actor, { system: sysA.id });
    expect(first.rows).toHaveLength(FINDINGS_PAGE_SIZE);
    expect(first.nextCursor).not.toBeNull();
    const second = await listFindings(officer.actor, { system: sysA.id, cursor: first.nextCursor! });
    expect(second.rows).toHaveLength(30);
    expect(second.nextCursor).toBeNull();
    const ids = [...first.rows, ...second.rows].map((r) => r.id);
    expect(new Set(ids).size).toBe(130);
    const times = [...first.rows, ...second.rows].map((r) => r.detectedAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(first.rows[0]).toMatchObject({ person: { id: p1.person.id, employeeNo: p1.person.employeeNo }, system: { code: sysA.code } });

    expect((await listFindings(officer.actor, { system: sysB.id, rule: "R10" })).rows).toHaveLength(3);
    expect((await listFindings(officer.actor, { system: sysB.id, rule: "R6" })).rows).toHaveLength(0);
    expect((await listFindings(officer.actor, { person: p2.person.employeeNo })).rows.map((r) => r.systemId)).toEqual([
      sysB.id,
      sysB.id,
      sysB.id,
    ]);
    const byName = await listFindings(officer.actor, { person: `Finder ${tag}` });
    expect(byName.rows).toHaveLength(FINDINGS_PAGE_SIZE);
    expect(new Set(byName.rows.map((r) => r.personId))).toEqual(new Set([p1.person.id, p2.person.id]));
    expect((await listFindings(officer.actor, { person: `Nobody ${tag}` })).rows).toEqual([]);

    // An account administrator sees their systems' findings only, whatever the filter asks.
    expect((await listFindings(adminA.actor, { person: p2.person.employeeNo })).rows).toEqual([]);
    expect((await listFindings(adminA.actor, { system: sysB.id })).rows).toEqual([]);
    expect((await listFindings(adminA.actor, { person: p1.person.employeeNo })).rows).toHaveLength(FINDINGS_PAGE_SIZE);

    // Hostile query strings fall back to no filter (the page never fails on them); a forged cursor is the first page.
    expect(FindingFilter.parse({ system: "x'; drop table", rule: "R99", person: "a".repeat(500), cursor: "y".repeat(2000) })).toEqual({});
    const forged = await listFindings(officer.actor, { system: sysA.id, cursor: "not-a-cursor" });
    expect(forged.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
    expect(first.lastCheckedAt!.getTime()).toBeGreaterThanOrEqual(base);
  });

  it("offers one system's active roles or permissions for each side of a pair", async () => {
    const system = await makeSystem();
    const other = await makeSystem();
    const admin = await makeActor([
      { role: "ACCOUNT_ADMIN", systemId: system.id },
      { role: "ACCOUNT_ADMIN", systemId: other.id },
    ]);
    const a = await roleIn(admin.actor, system.id, { sensitivity: "LOW" });
    await roleIn(admin.actor, other.id, { sensitivity: "LOW" });
    const retired = await roleIn(admin.actor, system.id, { sensitivity: "LOW" });
    await getDb().jobRole.update({ where: { id: retired.role.id }, data: { isActive: false } });
    const roles = await listPairOptions({ kind: "ROLE_PAIR", systemId: system.id });
    expect(roles).toEqual([{ id: a.role.id, label: `${a.role.code} · r` }]);
    await getDb().jobRole.update({ where: { id: a.role.id }, data: { nameEn: "Role in English" } });
    expect(await listPairOptions({ kind: "ROLE_PAIR", systemId: system.id }, true)).toEqual([
      { id: a.role.id, label: `${a.role.code} · Role in English` },
    ]);
    const permissions = await listPairOptions({ kind: "PERMISSION_PAIR", systemId: system.id });
    expect(permissions.map((p) => p.id).sort()).toEqual([a.permission.id, retired.permission.id].sort());
  });
});
