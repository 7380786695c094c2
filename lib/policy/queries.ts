import { getDb } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { systemsScope } from "@/lib/systems/queries";

export async function listSodRules() {
  const rules = await getDb().sodRule.findMany({ where: { isActive: true }, orderBy: { createdAt: "desc" }, take: 500 });
  const roleIds = rules.flatMap((r) => [r.leftRoleId, r.rightRoleId]).filter((x): x is string => !!x);
  const permissionIds = rules.flatMap((r) => [r.leftPermissionId, r.rightPermissionId]).filter((x): x is string => !!x);
  const [roles, permissions] = await Promise.all([
    getDb().jobRole.findMany({ where: { id: { in: roleIds } }, select: { id: true, code: true, system: { select: { code: true } } } }),
    getDb().permission.findMany({ where: { id: { in: permissionIds } }, select: { id: true, code: true, system: { select: { code: true } } } }),
  ]);
  const label = new Map([...roles, ...permissions].map((x) => [x.id, `${x.system.code} · ${x.code}`]));
  return rules.map((r) => ({
    id: r.id, kind: r.kind, description: r.description, createdAt: r.createdAt,
    left: label.get((r.leftRoleId ?? r.leftPermissionId)!) ?? "?", right: label.get((r.rightRoleId ?? r.rightPermissionId)!) ?? "?",
  }));
}

/** Roles and permissions to pick a pair from (a few thousand at most per installation's UI). */
export async function listPairCandidates() {
  const [roles, permissions] = await Promise.all([
    getDb().jobRole.findMany({ where: { isActive: true }, orderBy: [{ system: { code: "asc" } }, { code: "asc" }], take: 5000, select: { id: true, code: true, system: { select: { code: true } } } }),
    getDb().permission.findMany({ where: { isActive: true }, orderBy: [{ system: { code: "asc" } }, { code: "asc" }], take: 5000, select: { id: true, code: true, system: { select: { code: true } } } }),
  ]);
  return { roles: roles.map((r) => ({ id: r.id, label: `${r.system.code} · ${r.code}` })), permissions: permissions.map((p) => ({ id: p.id, label: `${p.system.code} · ${p.code}` })) };
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
