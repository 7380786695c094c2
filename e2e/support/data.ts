import { randomBytes } from "node:crypto";
import { inTransaction, getDb } from "@/lib/db";
import { systemActor } from "@/lib/authz/actor";
import { createPerson } from "@/lib/people/create-person";
import { grantPortalRole } from "@/lib/portal-roles/grant-portal-role";
import { enrolKnownTotpSecret } from "@/lib/seed/enrol-known-totp";
import { newTotpSecret } from "@/lib/auth/totp";
import { createGrantUnderPolicy } from "@/lib/grants/create-grant";
import { deactivateSodRule } from "@/lib/policy/sod-rules";

// Test data goes in through the same use cases as the portal's (audited), with unique numbers so
// tests do not depend on each other.
export const TEST_PASSWORD = "Test!Passw0rd-2026";

export async function createTestPerson(
  opts: {
    role?: "HR" | "SYSTEM_ADMIN" | "SECURITY_OFFICER" | "ACCOUNT_ADMIN";
    systemCode?: string | string[];
    thirdParty?: boolean;
    enrolTotp?: boolean;
    mustChangePassword?: boolean;
  } = {},
) {
  const suffix = randomBytes(4).toString("hex");
  const employeeNo = `T${suffix}`;
  const actor = systemActor("e2e-setup");
  return inTransaction(async (tx) => {
    const org = await tx.orgUnit.findUniqueOrThrow({ where: { code: "CS" }, select: { id: true } });
    // A third party works for a demo vendor, sponsored by the head of the customer service centre (R10).
    const vendor = opts.thirdParty
      ? await tx.vendor.findUniqueOrThrow({ where: { name: "华信科技有限公司" }, select: { id: true, contractEndsOn: true } })
      : null;
    const { person, account } = await createPerson(
      tx,
      actor,
      {
        employeeNo,
        name: `测试员${suffix}`,
        orgUnitId: org.id,
        jobTitle: "服务营销",
        employmentType: opts.thirdParty ? "THIRD_PARTY" : "EMPLOYEE",
        vendorId: vendor?.id,
        sponsorEmployeeNo: vendor ? "E0106" : undefined,
        contractEndsOn: vendor?.contractEndsOn,
        email: `${employeeNo.toLowerCase()}@e2e.example`,
        phone: "13800138000",
      },
      { initialPassword: TEST_PASSWORD, mustChangePassword: opts.mustChangePassword },
    );
    const codes = opts.systemCode === undefined ? [undefined] : [opts.systemCode].flat();
    for (const code of codes) {
      const systemId = code ? (await tx.businessSystem.findUniqueOrThrow({ where: { code }, select: { id: true } })).id : undefined;
      if (opts.role) await grantPortalRole(tx, actor, { personId: person.id, role: opts.role, systemId, reason: "e2e setup" });
    }
    // Privileged test people get their own authenticator, so tests never wait on each other's codes.
    const totpSecret = opts.role && opts.enrolTotp !== false ? newTotpSecret() : undefined;
    if (totpSecret) await enrolKnownTotpSecret(tx, actor, account.id, totpSecret);
    return { id: person.id, employeeNo, name: person.name, totpSecret };
  });
}

/**
 * Gives a person job roles (system code, role code) through the shared grant path, ending in 30 days;
 * active incompatible pairs among them are first deactivated (audited), so a retried test starts over.
 */
export async function holdRoles(personId: string, roles: [system: string, role: string][]) {
  const actor = systemActor("e2e-setup");
  return inTransaction(async (tx) => {
    const ids: string[] = [];
    for (const [system, code] of roles) {
      ids.push((await tx.jobRole.findFirstOrThrow({ where: { code, system: { code: system } }, select: { id: true } })).id);
    }
    const pairs = await tx.sodRule.findMany({
      where: { isActive: true, leftRoleId: { in: ids }, rightRoleId: { in: ids } },
      select: { id: true },
    });
    for (const rule of pairs) await deactivateSodRule(tx, actor, { ruleId: rule.id, reason: "e2e setup: start over" });
    for (const roleId of ids) {
      await createGrantUnderPolicy(tx, actor, { personId, roleId, reason: "e2e setup", endsAt: new Date(Date.now() + 30 * 86_400_000) });
    }
  });
}

export async function disconnect(): Promise<void> {
  await getDb().$disconnect();
}

/**
 * A failed job in a queue of its own (no worker runs it), through pg-boss as a worker would leave it,
 * for the background jobs page. Returns the queue and the job id.
 */
export async function createFailedJob(message: string): Promise<{ queue: string; id: string }> {
  const { jobQueue } = await import("@/lib/jobs/boss");
  const boss = await jobQueue();
  const queue = `e2e-${randomBytes(4).toString("hex")}`;
  await boss.createQueue(queue, { policy: "standard", retryLimit: 0 });
  const id = (await boss.send(queue, {}))!;
  await boss.fetch(queue);
  await boss.fail(queue, id, { message });
  return { queue, id };
}
