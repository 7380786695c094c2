import type { Sensitivity } from "@/lib/generated/prisma/enums";
import {
  BUSINESS_DEPARTMENT_CATEGORIES,
  DEFAULT_SENSITIVE_LEVELS,
  QUERY_ONLY_CATEGORIES,
  type GrantCandidate,
  type Holding,
  type PolicyPermission,
  type PolicyPerson,
  type PolicyRole,
  type PolicyRule,
  type PolicySystem,
  type PolicyViolation,
  type PolicyViolationCode,
  type RoleGrantCandidate,
  type SlaveAccountFacts,
  type SodRule,
  type ViolationSubject,
} from "./types";

// The grant policy: pure functions over loaded data, run before every grant whatever its path
// (UI, import, API, access requests) and continuously over what people already hold.
// Unknown means deny: a missing master account or an unowned slave account is a violation, not a pass.

export * from "./types";

export function isSensitive(
  permission: Pick<PolicyPermission, "sensitivity">,
  sensitiveLevels: readonly Sensitivity[] = DEFAULT_SENSITIVE_LEVELS,
): boolean {
  return sensitiveLevels.includes(permission.sensitivity);
}

function isCustomerInformation(permission: PolicyPermission): boolean {
  return permission.dataKind !== "NONE";
}

// The operations the catalogue reserves for front-line service marketing and operations staff.
const NON_QUERY_OPERATIONS = new Set<PolicyPermission["operation"]>([
  "ADD",
  "DELETE",
  "MODIFY",
  "BULK_IMPORT",
  "BULK_EXPORT",
  "BULK_SERVICE",
  "BULK_DOWNLOAD",
]);

// A grant as the rules see it: the candidate (grantId null) or an existing holding.
type GrantView = {
  grantId: string | null;
  system: PolicySystem;
  role: PolicyRole;
  slaveAccount?: SlaveAccountFacts | null;
  startsAt?: Date;
};

function subjectOf(grant: GrantView, permission?: PolicyPermission): ViolationSubject {
  return { grantId: grant.grantId, systemId: grant.system.id, roleId: grant.role.id, permissionId: permission?.id ?? null };
}

function violation(
  code: PolicyViolationCode,
  rule: PolicyRule,
  subject: ViolationSubject,
  params: Record<string, string>,
  conflictsWith?: ViolationSubject,
): PolicyViolation {
  return { code, rule, params, subject, ...(conflictsWith ? { conflictsWith } : {}), allowsTemporaryElevation: rule === "R10" };
}

function names(grant: GrantView, permission?: PolicyPermission): Record<string, string> {
  return { role: grant.role.name, system: grant.system.name, ...(permission ? { permission: permission.name } : {}) };
}

// --- R2: the person and the accounts the grant sits on ---------------------------------------

function personRules(person: PolicyPerson, grant: GrantView): PolicyViolation[] {
  const out: PolicyViolation[] = [];
  if (person.status !== "ACTIVE") {
    out.push(violation("PERSON_NOT_ACTIVE", "R2", subjectOf(grant), { ...names(grant), status: person.status }));
  }
  if (!person.masterAccountId) {
    out.push(violation("NO_MASTER_ACCOUNT", "R2", subjectOf(grant), names(grant)));
  }
  return out;
}

function slaveAccountRules(person: PolicyPerson, grant: GrantView): PolicyViolation[] {
  const account = grant.slaveAccount;
  if (!account) return [];
  const out: PolicyViolation[] = [];
  if (account.systemId !== grant.system.id) {
    out.push(violation("ACCOUNT_OF_ANOTHER_SYSTEM", "R2", subjectOf(grant), names(grant)));
  }
  const owners = [...new Set(account.masterAccountIds)];
  if (owners.length === 0) {
    out.push(violation("ORPHAN_ACCOUNT", "R2", subjectOf(grant), names(grant)));
  } else if (owners.length > 1) {
    out.push(violation("SHARED_ACCOUNT", "R2", subjectOf(grant), { ...names(grant), count: String(owners.length) }));
  } else if (person.masterAccountId && owners[0] !== person.masterAccountId) {
    out.push(violation("ACCOUNT_OF_ANOTHER_PERSON", "R2", subjectOf(grant), names(grant)));
  }
  return out;
}

// --- Rules about one grant on its own (R4, R10, job-role catalogue) ---------------------------

function singleGrantRules(person: PolicyPerson, grant: GrantView, sensitiveLevels: readonly Sensitivity[]): PolicyViolation[] {
  const out: PolicyViolation[] = [];
  const isThirdParty = person.employmentType === "THIRD_PARTY";
  const categories = person.jobCategories;

  if (isThirdParty && grant.role.isAdministrative) {
    out.push(violation("THIRD_PARTY_ADMIN_ROLE", "R10", subjectOf(grant), names(grant)));
  }
  if (categories.includes("DEV_TEST") && grant.system.environment === "PRODUCTION") {
    out.push(violation("DEV_TEST_PRODUCTION_SYSTEM", "R16", subjectOf(grant), names(grant)));
  }

  const businessCategory = categories.find((c) => BUSINESS_DEPARTMENT_CATEGORIES.includes(c));
  const queryOnlyCategory = categories.find((c) => QUERY_ONLY_CATEGORIES.includes(c));

  for (const permission of grant.role.permissions) {
    const params = names(grant, permission);
    const subject = subjectOf(grant, permission);
    if (isThirdParty && isSensitive(permission, sensitiveLevels)) {
      out.push(violation("THIRD_PARTY_SENSITIVE_PERMISSION", "R4", subject, { ...params, sensitivity: permission.sensitivity }));
    }
    if (isThirdParty && permission.isAccountCreation) {
      out.push(violation("THIRD_PARTY_ACCOUNT_CREATION", "R10", subject, params));
    }
    if (!isCustomerInformation(permission)) continue;

    if (categories.includes("OPS_INFRASTRUCTURE_ADMIN") && permission.operation === "QUERY") {
      out.push(violation("SUPER_ADMIN_CUSTOMER_QUERY", "R16", subject, params));
    }
    if (categories.includes("MARKETING_POLICY")) {
      out.push(violation("MARKETING_POLICY_CUSTOMER_INFO", "R16", subject, params));
    }
    if (businessCategory && permission.operation === "BULK_EXPORT") {
      out.push(violation("BUSINESS_BULK_EXPORT", "R16", subject, { ...params, category: businessCategory }));
    } else if (queryOnlyCategory && NON_QUERY_OPERATIONS.has(permission.operation)) {
      // Bulk export is already refused above for every business department, query-only ones included.
      out.push(
        violation("QUERY_ONLY_CUSTOMER_INFO_OPERATION", "R16", subject, {
          ...params,
          category: queryOnlyCategory,
          operation: permission.operation,
        }),
      );
    }
  }
  return out;
}

// --- R6: separation of duties between two grants, or inside one role ----------------------------

function logManagementPermission(grant: GrantView): PolicyPermission | undefined {
  if (grant.system.kind !== "BACK_END") return undefined;
  return grant.role.permissions.find((p) => p.isLogManagement);
}

function otherNames(grant: GrantView, permission?: PolicyPermission): Record<string, string> {
  return { otherRole: grant.role.name, otherSystem: grant.system.name, ...(permission ? { otherPermission: permission.name } : {}) };
}

// Conflicts between `subject` (the grant to refuse or revoke) and `other` (the one it clashes with).
function pairRules(subject: GrantView, other: GrantView, sodRules: readonly SodRule[]): PolicyViolation[] {
  const out: PolicyViolation[] = [];

  for (const [front, back] of [
    [subject, other],
    [other, subject],
  ] as const) {
    const logPermission = front.system.kind === "FRONT_END" ? logManagementPermission(back) : undefined;
    if (!logPermission) continue;
    const params = {
      frontRole: front.role.name,
      frontSystem: front.system.name,
      backRole: back.role.name,
      backSystem: back.system.name,
      permission: logPermission.name,
    };
    const frontSide = subjectOf(front);
    const backSide = subjectOf(back, logPermission);
    out.push(
      front === subject
        ? violation("SOD_FRONT_END_LOG_MANAGEMENT", "R6", frontSide, params, backSide)
        : violation("SOD_FRONT_END_LOG_MANAGEMENT", "R6", backSide, params, frontSide),
    );
  }

  // Holding the same role twice is not a separation-of-duties question.
  if (subject.role.id === other.role.id) return out;

  for (const rule of sodRules) {
    if (rule.kind === "ROLE_PAIR") {
      const [a, b] = rule.roleIds;
      if (a === b) continue;
      if ((subject.role.id === a && other.role.id === b) || (subject.role.id === b && other.role.id === a)) {
        out.push(
          violation(
            "SOD_ROLE_PAIR",
            "R6",
            subjectOf(subject),
            { ...names(subject), ...otherNames(other), description: rule.description },
            subjectOf(other),
          ),
        );
      }
    } else {
      const hit = permissionPair(rule, subject.role.permissions, other.role.permissions);
      if (hit) {
        out.push(
          violation(
            "SOD_PERMISSION_PAIR",
            "R6",
            subjectOf(subject, hit[0]),
            { ...names(subject, hit[0]), ...otherNames(other, hit[1]), description: rule.description },
            subjectOf(other, hit[1]),
          ),
        );
      }
    }
  }
  return out;
}

function permissionPair(
  rule: Extract<SodRule, { kind: "PERMISSION_PAIR" }>,
  mine: readonly PolicyPermission[],
  theirs: readonly PolicyPermission[],
): [PolicyPermission, PolicyPermission] | null {
  const [a, b] = rule.permissionIds;
  if (a === b) return null;
  for (const [x, y] of [
    [a, b],
    [b, a],
  ] as const) {
    const left = mine.find((p) => p.id === x);
    const right = theirs.find((p) => p.id === y);
    if (left && right) return [left, right];
  }
  return null;
}

// A role whose own matrix contains an incompatible permission pair gives the person both at once.
function withinRoleRules(grant: GrantView, sodRules: readonly SodRule[]): PolicyViolation[] {
  const out: PolicyViolation[] = [];
  for (const rule of sodRules) {
    if (rule.kind !== "PERMISSION_PAIR") continue;
    const hit = permissionPair(rule, grant.role.permissions, grant.role.permissions);
    if (hit) {
      out.push(
        violation(
          "SOD_PERMISSION_PAIR",
          "R6",
          subjectOf(grant, hit[0]),
          { ...names(grant, hit[0]), ...otherNames(grant, hit[1]), description: rule.description },
          subjectOf(grant, hit[1]),
        ),
      );
    }
  }
  return out;
}

// --- Public API -------------------------------------------------------------------------------

export type EvaluateGrantOptions = {
  // An approved R10 temporary elevation (sponsor + security, time-boxed): the R10 rules (administrative
  // roles, account-creation permissions for third parties) are waived for this one grant. Never R2, R4
  // or R6, and never the catalogue rules.
  elevation?: boolean;
};

// Every reason the candidate grant must be refused; empty means it may proceed.
export function evaluateGrant(candidate: GrantCandidate, opts: EvaluateGrantOptions = {}): PolicyViolation[] {
  if (opts.elevation) return evaluateGrant(candidate).filter((v) => v.rule !== "R10");
  if (candidate.kind === "PERMISSION") {
    const { permission, system } = candidate;
    return [
      violation(
        "DIRECT_PERMISSION_GRANT",
        "R1",
        { grantId: null, systemId: system.id, roleId: null, permissionId: permission.id },
        { permission: permission.name, system: system.name },
      ),
    ];
  }
  return evaluateRoleGrant(candidate);
}

function evaluateRoleGrant(candidate: RoleGrantCandidate): PolicyViolation[] {
  const { person, system, role, holdings, sodRules } = candidate;
  const sensitiveLevels = candidate.sensitiveLevels ?? DEFAULT_SENSITIVE_LEVELS;
  const grant: GrantView = { grantId: null, system, role, slaveAccount: candidate.slaveAccount };

  const out = [...personRules(person, grant), ...slaveAccountRules(person, grant)];
  const duplicate = candidate.personSlaveAccounts.find((a) => a.systemId === system.id && a.id !== candidate.slaveAccount?.id);
  if (duplicate) out.push(violation("DUPLICATE_SLAVE_ACCOUNT", "R2", subjectOf(grant), names(grant)));

  out.push(...singleGrantRules(person, grant, sensitiveLevels), ...withinRoleRules(grant, sodRules));
  for (const holding of holdings) out.push(...pairRules(grant, holding, sodRules));
  return out;
}

function grantedBefore(a: { h: Holding; i: number }, b: { h: Holding; i: number }): number {
  const ta = a.h.startsAt?.getTime();
  const tb = b.h.startsAt?.getTime();
  if (ta !== undefined && tb !== undefined && ta !== tb) return ta - tb;
  return a.i - b.i;
}

// Every current violation among a person's existing grants, each naming the grant to revoke. In a
// conflicting pair the later grant (by startsAt, else list order) is the subject, reported once.
export function evaluateHoldings(
  person: PolicyPerson,
  holdings: readonly Holding[],
  sodRules: readonly SodRule[],
  sensitiveLevels: readonly Sensitivity[] = DEFAULT_SENSITIVE_LEVELS,
): PolicyViolation[] {
  const ordered = holdings
    .map((h, i) => ({ h, i }))
    .sort(grantedBefore)
    .map(({ h }) => h);
  const out: PolicyViolation[] = [];

  // The earliest grant's account on each system is the person's account there; grants on any other
  // account of that system are the duplicates.
  const firstAccountOnSystem = new Map<string, { accountId: string; holding: Holding }>();
  for (const holding of ordered) {
    out.push(...personRules(person, holding), ...slaveAccountRules(person, holding));
    const account = holding.slaveAccount;
    if (account) {
      const first = firstAccountOnSystem.get(holding.system.id);
      if (!first) firstAccountOnSystem.set(holding.system.id, { accountId: account.id, holding });
      else if (first.accountId !== account.id) {
        out.push(violation("DUPLICATE_SLAVE_ACCOUNT", "R2", subjectOf(holding), names(holding), subjectOf(first.holding)));
      }
    }
    out.push(...singleGrantRules(person, holding, sensitiveLevels), ...withinRoleRules(holding, sodRules));
  }

  for (let later = 1; later < ordered.length; later++) {
    for (let earlier = 0; earlier < later; earlier++) {
      out.push(...pairRules(ordered[later]!, ordered[earlier]!, sodRules));
    }
  }
  return out;
}
