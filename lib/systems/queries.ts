import { getDb, type Prisma } from "@/lib/db";
import { decodeLabelCursor, LOOKUP_LIMIT, lookupPage, type LookupPage, type LookupQuery } from "@/lib/http/lookup";
import type { Actor } from "@/lib/authz/actor";
import { can, systemsScope } from "@/lib/authz/can";
import { decodeCursor, encodeCursor, type Page } from "@/lib/http/cursor";

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
      _count: { select: { permissions: true, jobRoles: true } },
    },
  });
  if (!system) return null;
  if (!can(actor, "systems:read", { systemId })) return "forbidden" as const;
  return system;
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

// A system's catalogues and matrix, a page at a time (issue 13: SYS001's page carried all its roles, all
// its permissions and every roles × permissions cell, 1.7 MB for a 150 × 40 system). Codes are unique per
// system (@@unique([systemId, code])), so the code alone is the keyset, on that index.
// 15 rows of each catalogue: each row carries its edit form's props (built when opened), and the page
// also lists 25 accounts; with 25 of each a 150-role system's page was 159 KB (e2e/page-weight.spec.ts).
export const CATALOGUE_PAGE_SIZE = 15;
export const MATRIX_ROLES_PAGE_SIZE = 25;
export const MATRIX_PERMISSIONS_PAGE_SIZE = 20;

type CodeCursor = { code: string };
const isCodeCursor = (v: unknown): v is CodeCursor =>
  typeof v === "object" && v !== null && typeof (v as CodeCursor).code === "string" && (v as CodeCursor).code.length <= 200;

const PERMISSION_SELECT = {
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
} as const satisfies Prisma.PermissionSelect;

const ROLE_SELECT = {
  id: true,
  code: true,
  name: true,
  nameEn: true,
  description: true,
  isAdministrative: true,
  isRequestable: true,
  isActive: true,
} as const satisfies Prisma.JobRoleSelect;

function codePage<T extends { code: string }>(rows: T[], pageSize: number): Page<T> {
  const page = rows.slice(0, pageSize);
  return { rows: page, nextCursor: rows.length > pageSize ? encodeCursor({ code: page.at(-1)!.code }) : null };
}

type CatalogueOpts = { cursor?: string | null; activeOnly?: boolean; pageSize?: number };

/** A page of a system's permissions by code (all of them for its catalogue, the active ones for the matrix). */
export async function listSystemPermissions(systemId: string, opts: CatalogueOpts = {}) {
  const pageSize = opts.pageSize ?? CATALOGUE_PAGE_SIZE;
  const after = decodeCursor(opts.cursor, isCodeCursor);
  const rows = await getDb().permission.findMany({
    where: { systemId, ...(opts.activeOnly ? { isActive: true } : {}), ...(after ? { code: { gt: after.code } } : {}) },
    orderBy: { code: "asc" },
    take: pageSize + 1,
    select: PERMISSION_SELECT,
  });
  return codePage(rows, pageSize);
}

/** A page of a system's job roles by code. */
export async function listSystemRoles(systemId: string, opts: CatalogueOpts = {}) {
  const pageSize = opts.pageSize ?? CATALOGUE_PAGE_SIZE;
  const after = decodeCursor(opts.cursor, isCodeCursor);
  const rows = await getDb().jobRole.findMany({
    where: { systemId, ...(opts.activeOnly ? { isActive: true } : {}), ...(after ? { code: { gt: after.code } } : {}) },
    orderBy: { code: "asc" },
    take: pageSize + 1,
    select: ROLE_SELECT,
  });
  return codePage(rows, pageSize);
}

export type SystemPermissionRow = Awaited<ReturnType<typeof listSystemPermissions>>["rows"][number];
export type SystemRoleRow = Awaited<ReturnType<typeof listSystemRoles>>["rows"][number];

/**
 * One page of the matrix: up to 25 active roles (rows) × 20 active permissions (columns), and the open
 * cells among them only ("role:permission"), read on role_permission(role_id, ends_at). Saving a page
 * compares what it showed with what is ticked, so cells on other pages are never touched.
 */
export async function getMatrixPage(systemId: string, opts: { roles?: string | null; perms?: string | null } = {}) {
  const [roles, permissions] = await Promise.all([
    listSystemRoles(systemId, { cursor: opts.roles, activeOnly: true, pageSize: MATRIX_ROLES_PAGE_SIZE }),
    listSystemPermissions(systemId, { cursor: opts.perms, activeOnly: true, pageSize: MATRIX_PERMISSIONS_PAGE_SIZE }),
  ]);
  const cells =
    roles.rows.length && permissions.rows.length
      ? await getDb().rolePermission.findMany({
          where: { endsAt: null, roleId: { in: roles.rows.map((r) => r.id) }, permissionId: { in: permissions.rows.map((p) => p.id) } },
          select: { roleId: true, permissionId: true },
          orderBy: [{ roleId: "asc" }, { permissionId: "asc" }],
        })
      : [];
  return { roles, permissions, cells: cells.map((c) => `${c.roleId}:${c.permissionId}`) };
}

/** How many open cells a system's matrix has (the system page's summary of it). */
export async function countOpenMatrixCells(systemId: string) {
  return getDb().rolePermission.count({ where: { endsAt: null, role: { systemId } } });
}
