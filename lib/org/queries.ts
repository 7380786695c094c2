import { getDb } from "@/lib/db";

export type OrgNode = { id: string; code: string; name: string; nameEn: string | null; headName: string | null; people: number; children: OrgNode[] };

/** The whole tree in one query (org units number in the thousands, not millions). */
export async function getOrgTree(): Promise<OrgNode[]> {
  const units = await getDb().orgUnit.findMany({
    where: { isActive: true },
    orderBy: [{ path: "asc" }],
    select: { id: true, code: true, name: true, nameEn: true, parentId: true, head: { select: { name: true } }, _count: { select: { people: true } } },
  });
  const byId = new Map<string, OrgNode>();
  const roots: OrgNode[] = [];
  for (const u of units) byId.set(u.id, { id: u.id, code: u.code, name: u.name, nameEn: u.nameEn, headName: u.head?.name ?? null, people: u._count.people, children: [] });
  for (const u of units) {
    const node = byId.get(u.id)!;
    const parent = u.parentId ? byId.get(u.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

export async function listOrgUnitsFlat() {
  return getDb().orgUnit.findMany({ where: { isActive: true }, orderBy: { path: "asc" }, select: { id: true, name: true, nameEn: true, path: true } });
}
