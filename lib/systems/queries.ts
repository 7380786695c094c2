import { getDb, type Prisma } from "@/lib/db";
import { decodeLabelCursor, LOOKUP_LIMIT, lookupPage, type LookupPage, type LookupQuery } from "@/lib/http/lookup";
import type { Actor } from "@/lib/authz/actor";
import { can, systemsScope } from "@/lib/authz/can";

export async function listSystems(actor: Actor) {
  const scope = systemsScope(actor);
  const systems = await getDb().businessSystem.findMany({
    where: scope ? { id: { in: scope } } : {},
    orderBy: { code: "asc" },
    take: 1000,
    select: {
      id: true,
      code: true,
      name: true,
      nameEn: true,
      environment: true,
      kind: true,
      isConnected: true,
      isActive: true,
      ownerOrg: { select: { name: true, nameEn: true } },
      roleAssignments: { where: { role: "ACCOUNT_ADMIN" }, select: { person: { select: { name: true, employeeNo: true } } } },
      _count: { select: { permissions: { where: { isActive: true } }, jobRoles: { where: { isActive: true } } } },
    },
  });
  return systems;
}

export async function getSystemDetail(actor: Actor, systemId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(systemId)) return null;
  const system = await getDb().businessSystem.findUnique({
    where: { id: systemId },
    select: {
      id: true,
      code: true,
      name: true,
      nameEn: true,
      description: true,
      environment: true,
      kind: true,
      isConnected: true,
      isActive: true,
      ownerOrgId: true,
      ownerOrg: { select: { name: true, nameEn: true } },
      roleAssignments: { where: { role: "ACCOUNT_ADMIN" }, select: { person: { select: { id: true, name: true, employeeNo: true } } } },
      permissions: {
        orderBy: { code: "asc" },
        select: {
          id: true,
          code: true,
          name: true,
          nameEn: true,
          description: true,
          dataKind: true,
          sensitivity: true,
          operation: true,
          isLogManagement: true,
          isAccountCreation: true,
          isActive: true,
        },
      },
      jobRoles: {
        orderBy: { code: "asc" },
        select: {
          id: true,
          code: true,
          name: true,
          nameEn: true,
          description: true,
          isAdministrative: true,
          isRequestable: true,
          isActive: true,
        },
      },
    },
  });
  if (!system) return null;
  if (!can(actor, "systems:read", { systemId })) return "forbidden" as const;
  const cells = await getDb().rolePermission.findMany({
    where: { endsAt: null, role: { systemId } },
    select: { roleId: true, permissionId: true },
  });
  return { ...system, matrix: cells.map((c) => `${c.roleId}:${c.permissionId}`) };
}
export type SystemDetail = Exclude<NonNullable<Awaited<ReturnType<typeof getSystemDetail>>>, "forbidden">;

/**
 * The system picker's lookup: systems in the actor's scope (systemsScope) whose code or name contains
 * `q`, LOOKUP_LIMIT at a time by (code, id); the label is the code, the hint the name.
 */
export async function lookupSystems(actor: Actor, query: LookupQuery, locale: string): Promise<LookupPage> {
  const scope = systemsScope(actor);
  const where: Prisma.BusinessSystemWhereInput[] = [];
  if (scope) where.push({ id: { in: scope } });
  if (query.q)
    where.push({
      OR: [
        { code: { contains: query.q, mode: "insensitive" } },
        { name: { contains: query.q, mode: "insensitive" } },
        { nameEn: { contains: query.q, mode: "insensitive" } },
      ],
    });
  const cursor = decodeLabelCursor(query.cursor);
  if (cursor) where.push({ code: { gte: cursor.v } }, { OR: [{ code: { gt: cursor.v } }, { code: cursor.v, id: { gt: cursor.id } }] });
  const rows = await getDb().businessSystem.findMany({
    where: { AND: where },
    orderBy: [{ code: "asc" }, { id: "asc" }],
    take: LOOKUP_LIMIT + 1,
    select: { id: true, code: true, name: true, nameEn: true },
  });
  return lookupPage(
    rows,
    (r) => r.code,
    (r) => ({ id: r.id, label: r.code, hint: locale === "en" && r.nameEn ? r.nameEn : r.name }),
  );
}

/** The label a system picker shows for a chosen system (its code), if the actor may see it. */
export async function systemOption(actor: Actor, id: string | null | undefined): Promise<{ id: string; label: string } | null> {
  if (!id || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  const scope = systemsScope(actor);
  if (scope && !scope.includes(id)) return null;
  const system = await getDb().businessSystem.findUnique({ where: { id }, select: { id: true, code: true } });
  return system ? { id: system.id, label: system.code } : null;
}
