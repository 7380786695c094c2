import type { Tx } from "@/lib/db";
import type { Holding, PolicyPerson, PolicyRole, PolicySystem, SlaveAccountFacts, JobCategory } from "@/lib/policy/types";
import type { Sensitivity } from "@/lib/generated/prisma/enums";
import { getClassificationSettings } from "@/lib/settings/classification";
import { toSodRules } from "@/lib/policy/policy-facts";
import { evaluateGrant, type PolicyViolation } from "@/lib/policy/engine";

const PERMISSION_SELECT = {
  id: true,
  code: true,
  name: true,
  systemId: true,
  dataKind: true,
  sensitivity: true,
  operation: true,
  isLogManagement: true,
  isAccountCreation: true,
} as const;

const ROLE_SELECT = {
  id: true,
  name: true,
  systemId: true,
  isAdministrative: true,
  isActive: true,
  system: { select: { id: true, name: true, environment: true, kind: true, isActive: true } },
  matrix: { where: { endsAt: null, permission: { isActive: true } }, select: { permission: { select: PERMISSION_SELECT } } },
} as const;

type LoadedRole = NonNullable<Awaited<ReturnType<typeof loadRole>>>;

export async function loadRole(tx: Tx, roleId: string) {
  return tx.jobRole.findUnique({ where: { id: roleId }, select: ROLE_SELECT });
}

export function toPolicyRole(role: LoadedRole): PolicyRole {
  return {
    id: role.id,
    name: role.name,
    systemId: role.systemId,
    isAdministrative: role.isAdministrative,
    permissions: role.matrix.map((m) => m.permission),
  };
}

export function toPolicySystem(system: LoadedRole["system"]): PolicySystem {
  return { id: system.id, name: system.name, environment: system.environment, kind: system.kind };
}

/**
 * Everything the policy engine needs about a person: their record, every live grant with its role's
 * current permissions, their slave accounts, the configured SoD pairs and the sensitivity setting.
 */
export async function loadPolicyContext(tx: Tx, personId: string, now = new Date()) {
  // One query after another: a transaction is one connection (pg deprecates overlapping queries).
  const person = await tx.person.findUniqueOrThrow({
    where: { id: personId },
    select: { id: true, employmentType: true, status: true, jobCategories: true, account: { select: { id: true } } },
  });
  const accounts = await tx.slaveAccount.findMany({
    where: { personId, status: { not: "DELETED" } },
    select: {
      id: true,
      systemId: true,
      grants: {
        where: { revokedAt: null, OR: [{ endsAt: null }, { endsAt: { gt: now } }] },
        select: { id: true, startsAt: true, role: { select: ROLE_SELECT } },
      },
    },
  });
  const rules = await tx.sodRule.findMany({ where: { isActive: true } });
  const classification = await getClassificationSettings(tx);
  const policyPerson: PolicyPerson = {
    id: person.id,
    employmentType: person.employmentType,
    status: person.status,
    jobCategories: person.jobCategories as JobCategory[],
    masterAccountId: person.account?.id ?? null,
  };
  const masterAccountIds = person.account ? [person.account.id] : [];
  const personSlaveAccounts: SlaveAccountFacts[] = accounts.map((a) => ({ id: a.id, systemId: a.systemId, masterAccountIds }));
  const holdings: Holding[] = accounts.flatMap((a) =>
    a.grants.map((g) => ({
      grantId: g.id,
      startsAt: g.startsAt,
      role: toPolicyRole(g.role),
      system: toPolicySystem(g.role.system),
      slaveAccount: { id: a.id, systemId: a.systemId, masterAccountIds },
    })),
  );
  const sodRules = toSodRules(rules);
  return {
    person: policyPerson,
    personSlaveAccounts,
    holdings,
    sodRules,
    sensitiveLevels: classification.sensitiveLevels as Sensitivity[],
  };
}

export type PolicyContext = Awaited<ReturnType<typeof loadPolicyContext>>;

/**
 * The policy engine on a role grant to the person the context was loaded for, exactly as every grant
 * path meets it (administrators, imports, requests before submission and at final approval). Returns
 * the person's slave account in the role's system (null: one would be created) with the violations.
 */
export function evaluateRoleGrant(context: PolicyContext, role: LoadedRole, opts: { elevation?: boolean } = {}) {
  const existing = context.personSlaveAccounts.find((a) => a.systemId === role.systemId) ?? null;
  const violations: PolicyViolation[] = evaluateGrant(
    {
      kind: "ROLE",
      person: context.person,
      system: toPolicySystem(role.system),
      role: toPolicyRole(role),
      slaveAccount: existing,
      personSlaveAccounts: context.personSlaveAccounts,
      holdings: context.holdings,
      sodRules: context.sodRules,
      sensitiveLevels: context.sensitiveLevels,
    },
    { elevation: opts.elevation },
  );
  return { existing, violations };
}
