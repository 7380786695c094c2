import { getDb } from "@/lib/db";

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
