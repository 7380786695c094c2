// Granting and revoking portal roles (lib/portal-roles/*): separation of duties, third parties,
// scopes, and "the last system administrator cannot be removed".
import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import type { PortalRole } from "@/lib/generated/prisma/enums";
import { grantPortalRole } from "@/lib/portal-roles/grant-portal-role";
import { revokePortalRole } from "@/lib/portal-roles/revoke-portal-role";
import { setAccountStatus } from "@/lib/accounts/set-account-status";
import {
  actorName,
  auditMark,
  auditSince,
  expectDomainError,
  FACTORY,
  lastAuditRow,
  makeActor,
  makeOrgUnit,
  makePerson,
  makeSystem,
  onlySystemAdmins,
} from "../factories";

function grant(
  actor: Actor,
  personId: string,
  role: PortalRole,
  scope: { systemId?: string; orgUnitId?: string } = {},
  reason = "Test: appointment",
) {
  return inTransaction((tx) => grantPortalRole(tx, actor, { personId, role, ...scope, reason }));
}

function revoke(actor: Actor, assignmentId: string, reason = "Test: removal") {
  return inTransaction((tx) => revokePortalRole(tx, actor, { assignmentId, reason }));
}

async function rolesOf(personId: string) {
  return getDb().portalRoleAssignment.findMany({ where: { personId }, select: { role: true, systemId: true, orgUnitId: true } });
}

describe("grantPortalRole", () => {
  it("grants a global role with a 'portal-role.granted' row (after, assignment id, reason)", async () => {
    const { actor: admin } = await makeActor(["SYSTEM_ADMIN"]);
    const target = await makePerson();
    const system = await makeSystem();
    const mark = await auditMark();
    // A scope that does not belong to the role is dropped.
    const assignment = await grant(admin, target.person.id, "HR", { systemId: system.id }, "  New HR partner, ticket HR-12 ");
    expect(assignment).toMatchObject({ personId: target.person.id, role: "HR", systemId: null, orgUnitId: null });
    const rows = await auditSince(mark);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: "portal-role.granted",
      actorId: admin.personId,
      actorName: actorName(admin),
      targetType: "person",
      targetId: target.person.id,
      summary: { after: { role: "HR", systemId: null, orgUnitId: null }, assignmentId: assignment.id },
      reason: "New HR partner, ticket HR-12",
    });
  });

  it("grants scoped roles: ACCOUNT_ADMIN per system, APPROVER per org unit", async () => {
    const { actor: admin } = await makeActor(["SYSTEM_ADMIN"]);
    const target = await makePerson();
    const [sysA, sysB] = [await makeSystem(), await makeSystem()];
    const unit = await makeOrgUnit();
    await grant(admin, target.person.id, "ACCOUNT_ADMIN", { systemId: sysA.id });
    await grant(admin, target.person.id, "ACCOUNT_ADMIN", { systemId: sysB.id });
    await grant(admin, target.person.id, "APPROVER", { orgUnitId: unit.id, systemId: sysA.id });
    expect(await lastAuditRow({ action: "portal-role.granted", targetId: target.person.id })).toMatchObject({
      summary: { after: { role: "APPROVER", systemId: null, orgUnitId: unit.id } },
    });
    expect(await rolesOf(target.person.id)).toEqual(
      expect.arrayContaining([
        { role: "ACCOUNT_ADMIN", systemId: sysA.id, orgUnitId: null },
        { role: "ACCOUNT_ADMIN", systemId: sysB.id, orgUnitId: null },
        { role: "APPROVER", systemId: null, orgUnitId: unit.id },
      ]),
    );
  });

  it("requires the scope of a scoped role (SCOPE_REQUIRED), writing nothing", async () => {
    const target = await makePerson();
    const mark = await auditMark();
    expect((await expectDomainError(grant(FACTORY, target.person.id, "ACCOUNT_ADMIN"), "SCOPE_REQUIRED")).field).toBe("systemId");
    expect((await expectDomainError(grant(FACTORY, target.person.id, "APPROVER"), "SCOPE_REQUIRED")).field).toBe("orgUnitId");
    expect(
      (
        await expectDomainError(
          grant(FACTORY, target.person.id, "ACCOUNT_ADMIN", { systemId: "00000000-0000-4000-8000-000000000000" }),
          "NOT_FOUND",
        )
      ).field,
    ).toBe("systemId");
    expect(
      (
        await expectDomainError(
          grant(FACTORY, target.person.id, "APPROVER", { orgUnitId: "00000000-0000-4000-8000-000000000000" }),
          "NOT_FOUND",
        )
      ).field,
    ).toBe("orgUnitId");
    expect(await rolesOf(target.person.id)).toEqual([]);
    expect(await auditSince(mark)).toEqual([]);
  });

  it("refuses incompatible pairs (SOD_CONFLICT) in either order, writing nothing", async () => {
    const { actor: admin } = await makeActor(["SYSTEM_ADMIN"]);
    const system = await makeSystem();
    const pairs: [PortalRole, PortalRole][] = [
      ["ACCOUNT_ADMIN", "SECURITY_OFFICER"],
      ["SECURITY_OFFICER", "ACCOUNT_ADMIN"],
      ["SYSTEM_ADMIN", "SECURITY_OFFICER"],
      ["SECURITY_OFFICER", "SYSTEM_ADMIN"],
    ];
    for (const [held, wanted] of pairs) {
      const target = await makePerson();
      await grant(admin, target.person.id, held, { systemId: system.id });
      const mark = await auditMark();
      const error = await expectDomainError(grant(admin, target.person.id, wanted, { systemId: system.id }), "SOD_CONFLICT");
      expect(error.params).toEqual({ held, wanted });
      expect(error.field).toBe("role");
      expect((await rolesOf(target.person.id)).map((r) => r.role)).toEqual([held]);
      expect(await auditSince(mark)).toEqual([]);
    }
    // Compatible pairs are fine.
    const ok = await makePerson();
    await grant(admin, ok.person.id, "SECURITY_OFFICER");
    await grant(admin, ok.person.id, "HR");
    expect((await rolesOf(ok.person.id)).map((r) => r.role).sort()).toEqual(["HR", "SECURITY_OFFICER"]);
  });

  it("never makes a third party a portal administrator (R10), writing nothing", async () => {
    const { actor: admin } = await makeActor(["SYSTEM_ADMIN"]);
    const vendor = await makePerson({ employmentType: "THIRD_PARTY", vendorName: "Contoso Services" });
    const system = await makeSystem();
    const unit = await makeOrgUnit();
    const mark = await auditMark();
    for (const role of ["SYSTEM_ADMIN", "ACCOUNT_ADMIN", "APPROVER", "HR", "SECURITY_OFFICER"] as const) {
      const error = await expectDomainError(grant(admin, vendor.person.id, role, { systemId: system.id, orgUnitId: unit.id }), "FORBIDDEN");
      expect(error.params).toEqual({ permission: "third-party" });
    }
    expect(await rolesOf(vendor.person.id)).toEqual([]);
    expect(await auditSince(mark)).toEqual([]);
  });

  it("refuses a duplicate (ALREADY_EXISTS), a leaver (CONFLICT) and an unknown person (NOT_FOUND)", async () => {
    const { actor: admin } = await makeActor(["SYSTEM_ADMIN"]);
    const target = await makePerson();
    await grant(admin, target.person.id, "HR");
    const leaver = await makePerson();
    await getDb().person.update({ where: { id: leaver.person.id }, data: { status: "LEFT" } });
    const mark = await auditMark();
    await expectDomainError(grant(admin, target.person.id, "HR"), "ALREADY_EXISTS");
    await expectDomainError(grant(admin, leaver.person.id, "HR"), "CONFLICT");
    await expectDomainError(grant(admin, "00000000-0000-4000-8000-000000000000", "HR"), "NOT_FOUND");
    expect(await auditSince(mark)).toEqual([]);
  });

  it("is for system administrators only (FORBIDDEN, nothing written)", async () => {
    const target = await makePerson();
    for (const roles of [[], ["HR"], ["SECURITY_OFFICER"], ["APPROVER"]] as const) {
      const { actor } = await makeActor([...roles]);
      const mark = await auditMark();
      await expectDomainError(grant(actor, target.person.id, "HR"), "FORBIDDEN");
      // Not even to oneself.
      await expectDomainError(grant(actor, actor.personId, "SYSTEM_ADMIN"), "FORBIDDEN");
      expect(await auditSince(mark)).toEqual([]);
    }
    expect(await rolesOf(target.person.id)).toEqual([]);
  });
});

describe("revokePortalRole", () => {
  it("revokes an assignment with a 'portal-role.revoked' row (before, reason)", async () => {
    const { actor: admin } = await makeActor(["SYSTEM_ADMIN"]);
    const target = await makePerson();
    const system = await makeSystem();
    const assignment = await grant(admin, target.person.id, "ACCOUNT_ADMIN", { systemId: system.id });
    const mark = await auditMark();
    await revoke(admin, assignment.id, "Moved to another team");
    expect(await rolesOf(target.person.id)).toEqual([]);
    expect(await auditSince(mark)).toEqual([
      expect.objectContaining({
        action: "portal-role.revoked",
        actorId: admin.personId,
        targetType: "person",
        targetId: target.person.id,
        summary: { before: { role: "ACCOUNT_ADMIN", systemId: system.id, orgUnitId: null }, assignmentId: assignment.id },
        reason: "Moved to another team",
      }),
    ]);
    await expectDomainError(revoke(admin, assignment.id), "NOT_FOUND");
  });

  it("is for system administrators only (FORBIDDEN, nothing written)", async () => {
    const target = await makePerson({ roles: ["HR"] });
    const [assignment] = await getDb().portalRoleAssignment.findMany({ where: { personId: target.person.id } });
    const { actor: hr } = await makeActor(["HR"]);
    const mark = await auditMark();
    await expectDomainError(revoke(hr, assignment!.id), "FORBIDDEN");
    expect(await rolesOf(target.person.id)).toHaveLength(1);
    expect(await auditSince(mark)).toEqual([]);
  });

  it("removes system administrators down to the last one, which stays (LAST_SYSTEM_ADMIN)", async () => {
    const a = await makeActor(["SYSTEM_ADMIN"]);
    const b = await makePerson({ roles: ["SYSTEM_ADMIN"] });
    const c = await makePerson({ roles: ["SYSTEM_ADMIN"] });
    await onlySystemAdmins([a.person.id, b.person.id, c.person.id]);
    const assignmentOf = async (personId: string) =>
      (await getDb().portalRoleAssignment.findFirstOrThrow({ where: { personId, role: "SYSTEM_ADMIN" } })).id;

    await revoke(a.actor, await assignmentOf(c.person.id));
    await revoke(a.actor, await assignmentOf(b.person.id));
    expect(await getDb().portalRoleAssignment.count({ where: { role: "SYSTEM_ADMIN", person: { status: "ACTIVE" } } })).toBe(1);

    const mark = await auditMark();
    await expectDomainError(revoke(a.actor, await assignmentOf(a.person.id), "Stepping down"), "LAST_SYSTEM_ADMIN");
    expect(await rolesOf(a.person.id)).toEqual([{ role: "SYSTEM_ADMIN", systemId: null, orgUnitId: null }]);
    expect(await auditSince(mark)).toEqual([]);

    // An administrator who has left does not count; a new one makes the removal possible.
    const d = await makePerson({ roles: ["SYSTEM_ADMIN"] });
    await revoke(a.actor, await assignmentOf(a.person.id), "Stepping down");
    expect(await lastAuditRow({ action: "portal-role.revoked", targetId: a.person.id })).toMatchObject({
      summary: { before: { role: "SYSTEM_ADMIN" } },
      reason: "Stepping down",
    });
    await expectDomainError(revoke(FACTORY, await assignmentOf(d.person.id)), "LAST_SYSTEM_ADMIN");
  });
});

describe("the last system administrator", () => {
  it("cannot be locked or disabled either, while another one can", async () => {
    const hr = await makeActor(["HR"]);
    const a = await makePerson({ roles: ["SYSTEM_ADMIN"] });
    const b = await makePerson({ roles: ["SYSTEM_ADMIN"] });
    await onlySystemAdmins([a.person.id, b.person.id]);
    const setStatus = (accountId: string, change: "lock" | "disable") =>
      inTransaction((tx) => setAccountStatus(tx, hr.actor, { accountId, change, reason: "Security incident 42" }));

    await setStatus(b.account.id, "lock");
    const mark = await auditMark();
    await expectDomainError(setStatus(a.account.id, "disable"), "LAST_SYSTEM_ADMIN");
    await expectDomainError(setStatus(a.account.id, "lock"), "LAST_SYSTEM_ADMIN");
    expect((await getDb().masterAccount.findUniqueOrThrow({ where: { id: a.account.id } })).status).toBe("ACTIVE");
    expect(await auditSince(mark)).toEqual([]);
  });
});
