import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import type { DomainError } from "@/lib/errors";
import { createPermission } from "@/lib/systems/permissions";
import { createJobRole } from "@/lib/systems/job-roles";
import { changeRoleMatrix } from "@/lib/systems/change-role-matrix";
import { grantRole } from "@/lib/grants/grant-role";
import { createSodRule, deactivateSodRule } from "@/lib/policy/sod-rules";
import { recheckPolicies } from "@/lib/policy/recheck-policies";
import { listFindings } from "@/lib/policy/queries";
import { auditMark, auditSince, expectDomainError, expectZodError, lastAuditRow, makeActor, makePerson, makeSystem, rejectionOf, uniq } from "../factories";

async function roleIn(actor: Actor, systemId: string, perm: { sensitivity: "LOW" | "SENSITIVE"; dataKind?: "NONE" | "IDENTITY" }) {
  const suffix = uniq().toUpperCase();
  return inTransaction(async (tx) => {
    const p = await createPermission(tx, actor, { systemId, code: `P.${suffix}`, name: "p", dataKind: perm.dataKind ?? "NONE", sensitivity: perm.sensitivity, operation: "QUERY", reason: "setup" });
    const r = await createJobRole(tx, actor, { systemId, code: `R.${suffix}`, name: "r", reason: "setup" });
    await changeRoleMatrix(tx, actor, { systemId, add: [{ roleId: r.id, permissionId: p.id }], remove: [], reason: "setup" });
    return { role: r, permission: p };
  });
}

describe("incompatible pairs (R6, configurable)", () => {
  it("an officer adds a role pair; the next grant of the pair is refused; the rule can be deactivated", async () => {
    const system = await makeSystem({ kind: "PLATFORM" });
    const admin = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: system.id }]);
    const officer = await makeActor(["SECURITY_OFFICER"]);
    const a = await roleIn(admin.actor, system.id, { sensitivity: "LOW" });
    const b = await roleIn(admin.actor, system.id, { sensitivity: "LOW" });
    const rule = await inTransaction((tx) => createSodRule(tx, officer.actor, { kind: "ROLE_PAIR", leftId: a.role.id, rightId: b.role.id, description: "Maker and checker" }));
    expect(await lastAuditRow({ action: "sod-rule.created", targetId: rule.id })).toMatchObject({ actorId: officer.person.id });
    await expectDomainError(inTransaction((tx) => createSodRule(tx, officer.actor, { kind: "ROLE_PAIR", leftId: b.role.id, rightId: a.role.id, description: "Again" })), "ALREADY_EXISTS");

    const person = await makePerson();
    await inTransaction((tx) => grantRole(tx, admin.actor, { personId: person.person.id, roleId: a.role.id, reason: "maker" }));
    const error = (await rejectionOf(inTransaction((tx) => grantRole(tx, admin.actor, { personId: person.person.id, roleId: b.role.id, reason: "checker" })))) as DomainError;
    expect((error.details as { code: string }[]).map((v) => v.code)).toEqual(["SOD_ROLE_PAIR"]);

    await inTransaction((tx) => deactivateSodRule(tx, officer.actor, { ruleId: rule.id, reason: "Merged duties" }));
    await inTransaction((tx) => grantRole(tx, admin.actor, { personId: person.person.id, roleId: b.role.id, reason: "checker" }));
  });

  it("is for security officers only, and refuses a pair of one item or unknown items", async () => {
    const system = await makeSystem();
    const admin = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: system.id }]);
    const officer = await makeActor(["SECURITY_OFFICER"]);
    const a = await roleIn(admin.actor, system.id, { sensitivity: "LOW" });
    const mark = await auditMark();
    await expectDomainError(inTransaction((tx) => createSodRule(tx, admin.actor, { kind: "ROLE_PAIR", leftId: a.role.id, rightId: a.permission.id, description: "x" })), "FORBIDDEN");
    await expectZodError(inTransaction((tx) => createSodRule(tx, officer.actor, { kind: "ROLE_PAIR", leftId: a.role.id, rightId: a.role.id, description: "x" })));
    await expectDomainError(inTransaction((tx) => createSodRule(tx, officer.actor, { kind: "ROLE_PAIR", leftId: a.role.id, rightId: a.permission.id, description: "x" })), "NOT_FOUND");
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
    const later = await inTransaction((tx) => grantRole(tx, admin.actor, { personId: person.person.id, roleId: b.role.id, reason: "second" }));
    await inTransaction((tx) => createSodRule(tx, officer.actor, { kind: "ROLE_PAIR", leftId: a.role.id, rightId: b.role.id, description: "Maker and checker" }));

    const result = await recheckPolicies(officer.actor);
    expect(result.findings).toBeGreaterThanOrEqual(1);
    const mine = (await listFindings(admin.actor)).filter((f) => f.personId === person.person.id);
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
    const g = await inTransaction((tx) => grantRole(tx, admin.actor, { personId: contractor.person.id, roleId: low.role.id, endsAt: new Date(Date.now() + 30 * 86_400_000), reason: "vendor work" }));
    const sensitive = await roleIn(admin.actor, system.id, { sensitivity: "SENSITIVE", dataKind: "IDENTITY" });
    await inTransaction((tx) => changeRoleMatrix(tx, admin.actor, { systemId: system.id, add: [{ roleId: low.role.id, permissionId: sensitive.permission.id }], remove: [], reason: "scope creep" }));
    await recheckPolicies(officer.actor);
    const found = await getDb().policyFinding.findMany({ where: { personId: contractor.person.id } });
    expect(found.map((f) => [f.code, f.grantId])).toEqual([["THIRD_PARTY_SENSITIVE_PERMISSION", g.id]]);
  });
});
