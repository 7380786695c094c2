import type { Tx } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Sensitivity } from "@/lib/generated/prisma/enums";
import { evaluateHoldings } from "@/lib/policy/engine";
import type {
  Holding,
  JobCategory,
  PolicyPermission,
  PolicyPerson,
  PolicyRole,
  PolicySystem,
  PolicyViolation,
  SodRule,
} from "@/lib/policy/types";
import { getClassificationSettings } from "@/lib/settings/classification";

type Db = Tx | PrismaClient;

/** The rules every person is checked against: configured SoD pairs and the sensitivity setting. */
export type PolicyRules = { sodRules: SodRule[]; sensitiveLevels: Sensitivity[] };

/** A person and their current grants, as lib/policy/engine.ts evaluates them. */
export type PolicyFacts = { person: PolicyPerson; holdings: Holding[] };

export type Finding = { personId: string; violation: PolicyViolation };

/** A role with its system and current matrix row; shared by every holder (cached across batches). */
type CachedRole = { role: PolicyRole; system: PolicySystem };
export type RoleCache = Map<string, CachedRole>;

export async function loadPolicyRules(db: Db): Promise<PolicyRules> {
  const rules = await db.sodRule.findMany({ where: { isActive: true } });
  const classification = await getClassificationSettings(db);
  return { sodRules: toSodRules(rules), sensitiveLevels: classification.sensitiveLevels as Sensitivity[] };
}

/** The policy engine's view of the active incompatible-pair rows. */
export function toSodRules(rows: readonly SodRuleRow[]): SodRule[] {
  return rows.flatMap((r): SodRule[] => {
    if (r.kind === "ROLE_PAIR" && r.leftRoleId && r.rightRoleId)
      return [{ id: r.id, kind: "ROLE_PAIR", roleIds: [r.leftRoleId, r.rightRoleId], description: r.description }];
    if (r.kind === "PERMISSION_PAIR" && r.leftPermissionId && r.rightPermissionId) {
      return [{ id: r.id, kind: "PERMISSION_PAIR", permissionIds: [r.leftPermissionId, r.rightPermissionId], description: r.description }];
    }
    return [];
  });
}
type SodRuleRow = {
  id: string;
  kind: string;
  description: string;
  leftRoleId: string | null;
  rightRoleId: string | null;
  leftPermissionId: string | null;
  rightPermissionId: string | null;
};

/**
 * What the policy engine needs about many people at once, in four set-based queries whatever the
 * number of people: their records, their live grants (on accounts that are not deleted), and the
 * roles those grants name with each role's system and current matrix row (only roles not already in
 * `roles`, which the caller keeps across batches). The same facts loadPolicyContext gives for one person.
 */
export async function loadPolicyFacts(
  db: Db,
  personIds: readonly string[],
  now: Date,
  roles: RoleCache = new Map(),
): Promise<PolicyFacts[]> {
  if (personIds.length === 0) return [];
  const ids = [...personIds];
  // One query after another: inside a transaction this is one connection.
  const people = await db.$queryRaw<
    {
      id: string;
      employment_type: PolicyPerson["employmentType"];
      status: PolicyPerson["status"];
      job_categories: string[];
      account_id: string | null;
    }[]
  >`
    SELECT p.id::text, p.employment_type::text AS employment_type, p.status::text AS status, p.job_categories::text[] AS job_categories, ma.id::text AS account_id
    FROM person p LEFT JOIN master_account ma ON ma.person_id = p.id
    WHERE p.id = ANY(${ids}::uuid[])`;
  const grants = await db.$queryRaw<
    { id: string; starts_at: Date; role_id: string; slave_account_id: string; system_id: string; person_id: string }[]
  >`
    SELECT g.id::text, g.starts_at, g.role_id::text, sa.id::text AS slave_account_id, sa.system_id::text, sa.person_id::text
    FROM slave_account sa JOIN access_grant g ON g.slave_account_id = sa.id
    WHERE sa.person_id = ANY(${ids}::uuid[]) AND sa.status <> 'DELETED'
      AND g.revoked_at IS NULL AND (g.ends_at IS NULL OR g.ends_at > ${now})
    ORDER BY sa.person_id, g.starts_at, g.id`;
  await loadRoles(
    db,
    [...new Set(grants.map((g) => g.role_id))].filter((id) => !roles.has(id)),
    roles,
  );

  const byPerson = new Map<string, Holding[]>();
  const accountOf = new Map(people.map((p) => [p.id, p.account_id]));
  for (const g of grants) {
    const cached = roles.get(g.role_id);
    if (!cached) continue;
    const accountId = accountOf.get(g.person_id) ?? null;
    const list = byPerson.get(g.person_id) ?? [];
    list.push({
      grantId: g.id,
      startsAt: g.starts_at,
      role: cached.role,
      system: cached.system,
      slaveAccount: { id: g.slave_account_id, systemId: g.system_id, masterAccountIds: accountId ? [accountId] : [] },
    });
    byPerson.set(g.person_id, list);
  }
  return people.map((p) => ({
    person: {
      id: p.id,
      employmentType: p.employment_type,
      status: p.status,
      jobCategories: p.job_categories as JobCategory[],
      masterAccountId: p.account_id,
    },
    holdings: byPerson.get(p.id) ?? [],
  }));
}

async function loadRoles(db: Db, roleIds: string[], into: RoleCache): Promise<void> {
  if (roleIds.length === 0) return;
  const rows = await db.$queryRaw<
    {
      id: string;
      name: string;
      system_id: string;
      is_administrative: boolean;
      system_name: string;
      environment: PolicySystem["environment"];
      kind: PolicySystem["kind"];
    }[]
  >`
    SELECT r.id::text, r.name, r.system_id::text, r.is_administrative, s.name AS system_name, s.environment::text AS environment, s.kind::text AS kind
    FROM job_role r JOIN business_system s ON s.id = r.system_id
    WHERE r.id = ANY(${roleIds}::uuid[])`;
  const cells = await db.$queryRaw<
    ({
      role_id: string;
      system_id: string;
      data_kind: PolicyPermission["dataKind"];
      sensitivity: PolicyPermission["sensitivity"];
      operation: PolicyPermission["operation"];
      is_log_management: boolean;
      is_account_creation: boolean;
    } & { id: string; code: string; name: string })[]
  >`
    SELECT rp.role_id::text, p.id::text, p.code, p.name, p.system_id::text, p.data_kind::text AS data_kind, p.sensitivity::text AS sensitivity,
           p.operation::text AS operation, p.is_log_management, p.is_account_creation
    FROM role_permission rp JOIN permission p ON p.id = rp.permission_id
    WHERE rp.role_id = ANY(${roleIds}::uuid[]) AND rp.ends_at IS NULL AND p.is_active
    ORDER BY rp.role_id, p.code, p.id`;
  const permissions = new Map<string, PolicyPermission[]>();
  for (const c of cells) {
    const list = permissions.get(c.role_id) ?? [];
    list.push({
      id: c.id,
      code: c.code,
      name: c.name,
      systemId: c.system_id,
      dataKind: c.data_kind,
      sensitivity: c.sensitivity,
      operation: c.operation,
      isLogManagement: c.is_log_management,
      isAccountCreation: c.is_account_creation,
    });
    permissions.set(c.role_id, list);
  }
  for (const r of rows) {
    into.set(r.id, {
      role: {
        id: r.id,
        name: r.name,
        systemId: r.system_id,
        isAdministrative: r.is_administrative,
        permissions: permissions.get(r.id) ?? [],
      },
      system: { id: r.system_id, name: r.system_name, environment: r.environment, kind: r.kind },
    });
  }
}

/**
 * The configured pairs that can apply to these holdings: both roles (or both permissions) of the pair
 * among them. A pair with a side the person does not hold cannot match in the engine, so passing only
 * these gives the same violations, in the same order, without testing every pair against every two
 * grants of every person (hundreds of pairs × dozens of grant pairs × 100,000 people).
 */
export function applicableSodRules(holdings: readonly Holding[], sodRules: readonly SodRule[]): SodRule[] {
  if (sodRules.length === 0) return [];
  const roles = new Set<string>();
  const permissions = new Set<string>();
  for (const h of holdings) {
    roles.add(h.role.id);
    for (const p of h.role.permissions) permissions.add(p.id);
  }
  return sodRules.filter((r) =>
    r.kind === "ROLE_PAIR"
      ? roles.has(r.roleIds[0]) && roles.has(r.roleIds[1])
      : permissions.has(r.permissionIds[0]) && permissions.has(r.permissionIds[1]),
  );
}

/** The pure engine over loaded facts: every current violation of each person's grants. */
export function evaluateFacts(facts: readonly PolicyFacts[], rules: PolicyRules): Finding[] {
  const out: Finding[] = [];
  for (const f of facts) {
    if (f.holdings.length === 0) continue;
    const sodRules = applicableSodRules(f.holdings, rules.sodRules);
    for (const violation of evaluateHoldings(f.person, f.holdings, sodRules, rules.sensitiveLevels))
      out.push({ personId: f.person.id, violation });
  }
  return out;
}
