import { getDb, type Prisma } from "@/lib/db";
import { decodeLabelCursor, LOOKUP_LIMIT, lookupPage, type LookupPage, type LookupQuery } from "@/lib/http/lookup";

export type OrgNode = {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  headName: string | null;
  people: number;
  children: OrgNode[];
};

/** The whole tree in one query (org units number in the thousands, not millions). */
export async function getOrgTree(): Promise<OrgNode[]> {
  const units = await getDb().orgUnit.findMany({
    where: { isActive: true },
    orderBy: [{ path: "asc" }],
    select: {
      id: true,
      code: true,
      name: true,
      nameEn: true,
      parentId: true,
      head: { select: { name: true } },
      _count: { select: { people: true } },
    },
  });
  const byId = new Map<string, OrgNode>();
  const roots: OrgNode[] = [];
  for (const u of units)
    byId.set(u.id, {
      id: u.id,
      code: u.code,
      name: u.name,
      nameEn: u.nameEn,
      headName: u.head?.name ?? null,
      people: u._count.people,
      children: [],
    });
  for (const u of units) {
    const node = byId.get(u.id)!;
    const parent = u.parentId ? byId.get(u.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

export async function listOrgUnitsFlat() {
  return getDb().orgUnit.findMany({
    where: { isActive: true },
    orderBy: { path: "asc" },
    select: { id: true, name: true, nameEn: true, path: true },
  });
}

export type OrgUnitDetail = NonNullable<Awaited<ReturnType<typeof getOrgUnitDetail>>>;

/** One unit for the details panel, with what keeps it from being deactivated. */
export async function getOrgUnitDetail(id: string) {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  const db = getDb();
  const unit = await db.orgUnit.findUnique({
    where: { id },
    select: {
      id: true,
      code: true,
      name: true,
      nameEn: true,
      path: true,
      isActive: true,
      parentId: true,
      parent: { select: { id: true, code: true, name: true, nameEn: true } },
      head: { select: { id: true, name: true, employeeNo: true } },
    },
  });
  if (!unit) return null;
  const [activeChildren, activePeople, activeSystems] = await Promise.all([
    db.orgUnit.count({ where: { parentId: unit.id, isActive: true } }),
    db.person.count({ where: { status: { in: ["ACTIVE", "SUSPENDED"] }, orgUnit: { path: { startsWith: unit.path } } } }),
    db.businessSystem.count({ where: { isActive: true, ownerOrg: { path: { startsWith: unit.path } } } }),
  ]);
  return { ...unit, activeChildren, activePeople, activeSystems };
}

/** Where a unit may move: every active unit outside its own subtree. */
export async function listMoveTargets(unitPath: string) {
  return getDb().orgUnit.findMany({
    where: { isActive: true, NOT: { path: { startsWith: unitPath } } },
    orderBy: { path: "asc" },
    select: { id: true, code: true, name: true, nameEn: true, path: true },
  });
}

type OrgLookupRow = {
  id: string;
  name: string;
  nameEn: string | null;
  code: string;
  parent: { name: string; nameEn: string | null } | null;
  _count: { children: number };
};

/**
 * The org-unit picker's lookup: units matching `q` (name, English name or code), or — for the tree
 * picker — the children of `parent` (absent: the top of what the actor may see), LOOKUP_LIMIT at a
 * time by (name, id). `scope` is the org paths the actor may see (null: everywhere; see peopleScope).
 */
export async function lookupOrgUnits(scope: string[] | null, query: LookupQuery, locale: string): Promise<LookupPage> {
  const where: Prisma.OrgUnitWhereInput[] = [{ isActive: true }];
  if (scope) where.push({ OR: scope.map((p) => ({ path: { startsWith: p } })) });
  if (query.q) {
    where.push({
      OR: [
        { name: { contains: query.q, mode: "insensitive" } },
        { nameEn: { contains: query.q, mode: "insensitive" } },
        { code: { startsWith: query.q, mode: "insensitive" } },
      ],
    });
  } else if (query.parent) {
    where.push({ parentId: query.parent });
  } else if (scope) {
    // An approver's tree starts at the units they approve for, wherever those sit.
    where.push({ path: { in: scope } });
  } else {
    where.push({ parentId: null });
  }
  const cursor = decodeLabelCursor(query.cursor);
  if (cursor) where.push({ name: { gte: cursor.v } }, { OR: [{ name: { gt: cursor.v } }, { name: cursor.v, id: { gt: cursor.id } }] });
  const rows: OrgLookupRow[] = await getDb().orgUnit.findMany({
    where: { AND: where },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: LOOKUP_LIMIT + 1,
    select: {
      id: true,
      name: true,
      nameEn: true,
      code: true,
      parent: { select: { name: true, nameEn: true } },
      _count: { select: { children: { where: { isActive: true } } } },
    },
  });
  const label = (u: { name: string; nameEn: string | null }) => (locale === "en" && u.nameEn ? u.nameEn : u.name);
  return lookupPage(
    rows,
    (r) => r.name,
    (r) => ({ id: r.id, label: label(r), hint: r.parent ? `${label(r.parent)} · ${r.code}` : r.code, hasChildren: r._count.children > 0 }),
  );
}

/** The label a picker shows for an already chosen unit (a filter in the URL, a form's current value). */
export async function orgUnitOption(id: string | null | undefined, locale: string): Promise<{ id: string; label: string } | null> {
  if (!id || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  const unit = await getDb().orgUnit.findUnique({ where: { id }, select: { id: true, name: true, nameEn: true } });
  return unit ? { id: unit.id, label: locale === "en" && unit.nameEn ? unit.nameEn : unit.name } : null;
}
