import { getDb } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { systemsScope } from "@/lib/systems/queries";

/** The active incompatible pairs with their two sides labelled "SYSTEM · CODE" (one query). */
export async function listSodRules() {
  const rows = await getDb().$queryRaw<{ id: string; kind: "ROLE_PAIR" | "PERMISSION_PAIR"; description: string; created_at: Date; left: string | null; right: string | null }[]>`
    SELECT r.id::text, r.kind::text AS kind, r.description, r.created_at,
           COALESCE(ls.code || ' · ' || lr.code, lps.code || ' · ' || lp.code) AS "left",
           COALESCE(rs.code || ' · ' || rr.code, rps.code || ' · ' || rp.code) AS "right"
    FROM sod_rule r
    LEFT JOIN job_role lr ON lr.id = r.left_role_id LEFT JOIN business_system ls ON ls.id = lr.system_id
    LEFT JOIN permission lp ON lp.id = r.left_permission_id LEFT JOIN business_system lps ON lps.id = lp.system_id
    LEFT JOIN job_role rr ON rr.id = r.right_role_id LEFT JOIN business_system rs ON rs.id = rr.system_id
    LEFT JOIN permission rp ON rp.id = r.right_permission_id LEFT JOIN business_system rps ON rps.id = rp.system_id
    WHERE r.is_active
    ORDER BY r.created_at DESC, r.id
    LIMIT 500`;
  return rows.map((r) => ({ id: r.id, kind: r.kind, description: r.description, createdAt: r.created_at, left: r.left ?? "?", right: r.right ?? "?" }));
}

/** Roles and permissions to pick a pair from (the first 5,000 of each by system and code), one query each. */
export async function listPairCandidates() {
  const db = getDb();
  const roles = await db.$queryRaw<{ id: string; label: string }[]>`
    SELECT r.id::text, s.code || ' · ' || r.code AS label FROM job_role r JOIN business_system s ON s.id = r.system_id
    WHERE r.is_active ORDER BY s.code, r.code LIMIT 5000`;
  const permissions = await db.$queryRaw<{ id: string; label: string }[]>`
    SELECT p.id::text, s.code || ' · ' || p.code AS label FROM permission p JOIN business_system s ON s.id = p.system_id
    WHERE p.is_active ORDER BY s.code, p.code LIMIT 5000`;
  return { roles, permissions };
}

/** Current findings, newest first, limited to the actor's systems for account administrators. */
export async function listFindings(actor: Actor, take = 200) {
  const scope = systemsScope(actor);
  const findings = await getDb().policyFinding.findMany({
    where: scope ? { systemId: { in: scope } } : {},
    orderBy: [{ detectedAt: "desc" }, { id: "asc" }],
    take,
  });
  const personIds = [...new Set(findings.map((f) => f.personId))];
  const systemIds = [...new Set(findings.map((f) => f.systemId))];
  const [people, systems] = await Promise.all([
    getDb().person.findMany({ where: { id: { in: personIds } }, select: { id: true, name: true, employeeNo: true } }),
    getDb().businessSystem.findMany({ where: { id: { in: systemIds } }, select: { id: true, code: true } }),
  ]);
  const person = new Map(people.map((p) => [p.id, p]));
  const system = new Map(systems.map((s) => [s.id, s]));
  return findings.map((f) => ({ ...f, person: person.get(f.personId), system: system.get(f.systemId), params: f.params as Record<string, string> }));
}
