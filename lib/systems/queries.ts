import { getDb } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { can } from "@/lib/authz/can";

/** The systems an actor may see: null = all (officers, system administrators, approvers). */
export function systemsScope(actor: Actor): string[] | null {
  if (actor.kind === "system") return null;
  if (actor.roles.some((r) => r.role !== "ACCOUNT_ADMIN" && can({ ...actor, roles: [r] }, "systems:read"))) return null;
  return actor.roles.filter((r) => r.role === "ACCOUNT_ADMIN" && r.systemId).map((r) => r.systemId!);
}

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
