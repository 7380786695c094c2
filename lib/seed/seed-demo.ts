import type { Tx } from "@/lib/db";
import { dayIn } from "@/lib/time/calendar";
import { systemActor } from "@/lib/authz/actor";
import { createOrgUnit } from "@/lib/org/create-org-unit";
import { createPerson } from "@/lib/people/create-person";
import { setOrgUnitHead } from "@/lib/org/set-org-unit-head";
import { createBusinessSystem } from "@/lib/systems/create-business-system";
import { createPermission } from "@/lib/systems/permissions";
import { createJobRole } from "@/lib/systems/job-roles";
import { changeRoleMatrix } from "@/lib/systems/change-role-matrix";
import { grantRole } from "@/lib/grants/grant-role";
import { grantPortalRole } from "@/lib/portal-roles/grant-portal-role";
import { createVendor } from "@/lib/vendors/create-vendor";
import { enrolKnownTotpSecret } from "./enrol-known-totp";
import { ensureBuiltInVaultScenarios } from "@/lib/vault/ensure-built-in-scenarios";
import { seedDemoDelegations, seedDemoRequests } from "./demo-requests";
import { seedDemoOffboarding } from "./demo-offboarding";
import { seedDemoReviews } from "./demo-reviews";
import {
  DEMO_CATALOG,
  DEMO_GRANTS,
  jobCategoriesOf,
  DEMO_PASSWORD,
  DEMO_SYSTEMS,
  DEMO_TOTP_SECRET,
  DEMO_UNITS,
  DEMO_VENDORS,
  demoPeople,
  demoPii,
  demoGrantEnd,
  demoVendorContract,
  monthsBefore,
} from "./demo-data";

/**
 * Builds the demo organisation through the same use cases the portal uses, so the demo's audit
 * trail is the real thing. Run once, on an empty database, in one transaction.
 */
export async function seedDemo(tx: Tx, now = new Date()): Promise<{ people: number; units: number; systems: number }> {
  const actor = systemActor("seed");
  const unitIds = new Map<string, string>();
  for (const u of DEMO_UNITS) {
    const unit = await createOrgUnit(tx, actor, {
      code: u.code,
      name: u.name,
      nameEn: u.nameEn,
      parentId: u.parent ? unitIds.get(u.parent) : undefined,
    });
    unitIds.set(u.code, unit.id);
  }
  const systemIds = new Map<string, string>();
  for (const s of DEMO_SYSTEMS) {
    const system = await createBusinessSystem(tx, actor, {
      code: s.code,
      name: s.name,
      nameEn: s.nameEn,
      kind: s.kind,
      environment: s.environment,
      ownerOrgId: unitIds.get(s.owner)!,
    });
    systemIds.set(s.code, system.id);
    const catalog = DEMO_CATALOG[s.code];
    if (!catalog) continue;
    const permissionIds = new Map<string, string>();
    for (const [code, name, nameEn, dataKind, sensitivity, operation, flags] of catalog.permissions) {
      const p = await createPermission(tx, actor, {
        systemId: system.id,
        code,
        name,
        nameEn,
        dataKind,
        sensitivity,
        operation,
        isLogManagement: flags?.log ?? false,
        isAccountCreation: flags?.accountCreation ?? false,
        reason: "Demo seed: published catalogue",
      });
      permissionIds.set(code, p.id);
    }
    const add: { roleId: string; permissionId: string }[] = [];
    for (const [code, name, nameEn, permissions, flags] of catalog.roles) {
      const role = await createJobRole(tx, actor, {
        systemId: system.id,
        code,
        name,
        nameEn,
        isAdministrative: flags?.administrative ?? false,
        reason: "Demo seed: published catalogue",
      });
      for (const p of permissions) add.push({ roleId: role.id, permissionId: permissionIds.get(p)! });
    }
    await changeRoleMatrix(tx, actor, { systemId: system.id, add, remove: [], reason: "Demo seed: published role-permission matrix" });
  }
  const vendors = new Map<string, { id: string; contractEndsOn: Date }>();
  for (const v of DEMO_VENDORS) {
    const vendor = await createVendor(tx, actor, {
      name: v.name,
      contactName: v.contactName,
      contactPhone: v.contactPhone,
      contactEmail: v.contactEmail,
      ...demoVendorContract(v, Number(dayIn(now).slice(0, 4))),
    });
    vendors.set(v.name, { id: vendor.id, contractEndsOn: vendor.contractEndsOn });
  }
  const people = demoPeople();
  let index = 0;
  for (const p of people) {
    index += 1;
    const pii = demoPii(index);
    const vendor = p.vendor ? vendors.get(p.vendor)! : undefined;
    const { person, account } = await createPerson(
      tx,
      actor,
      {
        employeeNo: p.employeeNo,
        name: p.name,
        orgUnitId: unitIds.get(p.unit)!,
        jobTitle: p.jobTitle,
        employmentType: vendor ? "THIRD_PARTY" : "EMPLOYEE",
        vendorId: vendor?.id,
        sponsorEmployeeNo: vendor ? p.sponsor : undefined,
        contractEndsOn: vendor ? monthsBefore(vendor.contractEndsOn, p.contractMonthsBeforeVendorEnd ?? 0) : undefined,
        phone: pii.phone,
        email: p.email ?? `${p.employeeNo.toLowerCase()}@demo.example`,
        idNumber: pii.idNumber,
        jobCategories: jobCategoriesOf(p.jobTitle),
      },
      { initialPassword: DEMO_PASSWORD, now },
    );
    for (const r of p.portalRoles ?? []) {
      await grantPortalRole(tx, actor, {
        personId: person.id,
        role: r.role,
        systemId: r.system ? systemIds.get(r.system) : undefined,
        orgUnitId: r.unit ? unitIds.get(r.unit) : undefined,
        reason: "Demo seed: initial appointment",
      });
    }
    if (p.portalRoles?.length) {
      // Demo sign-ins share a published TOTP seed so the README can list them (demo only).
      await enrolKnownTotpSecret(tx, actor, account.id, DEMO_TOTP_SECRET);
    }
    if (p.headOf) await setOrgUnitHead(tx, actor, { orgUnitId: unitIds.get(p.headOf)!, personId: person.id });
  }
  const roleIds = new Map<string, string>();
  for (const role of await tx.jobRole.findMany({ select: { id: true, code: true, system: { select: { code: true } } } }))
    roleIds.set(`${role.system.code}:${role.code}`, role.id);
  for (const [employeeNo, system, role, days] of DEMO_GRANTS) {
    const person = await tx.person.findUniqueOrThrow({ where: { employeeNo }, select: { id: true, contractEndsOn: true } });
    await grantRole(
      tx,
      actor,
      {
        personId: person.id,
        roleId: roleIds.get(`${system}:${role}`)!,
        endsAt: days === null ? undefined : demoGrantEnd(now, days, person.contractEndsOn),
        reason: "Demo seed: initial access",
        basis: "DEMO-ONBOARDING",
      },
      now,
    );
  }
  // Vault mode (R14): the portal's built-in scenarios, approved by the security officers.
  await ensureBuiltInVaultScenarios(tx, actor);
  // Access requests: some waiting for E0003 (head of Marketing), one approved.
  await seedDemoRequests(tx, now);
  // Out of office: one delegation in force now, one planned.
  await seedDemoDelegations(tx, now);
  // Offboarding (issue 11): BOSS is changed by hand (a manual connector: its account administrator E0002
  // gets a task per change), and one billing operator has left, so the receipt on /offboarding shows the
  // manual task waiting until E0002 marks it done on BOSS → Provisioning.
  await seedDemoOffboarding(tx, actor, now);
  // Access reviews (issue 12): a quarterly review of sensitive access is under way.
  await seedDemoReviews(tx, now);
  return { people: people.length, units: DEMO_UNITS.length, systems: DEMO_SYSTEMS.length };
}
