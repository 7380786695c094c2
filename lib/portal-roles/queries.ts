import { getDb } from "@/lib/db";

export async function listPortalRoleAssignments() {
  return getDb().portalRoleAssignment.findMany({
    orderBy: [{ role: "asc" }, { createdAt: "asc" }],
    take: 1000,
    select: {
      id: true,
      role: true,
      createdAt: true,
      person: { select: { id: true, name: true, employeeNo: true, status: true } },
      system: { select: { code: true, name: true } },
      orgUnit: { select: { name: true, nameEn: true } },
    },
  });
}

export async function listSystemsForSelect() {
  return getDb().businessSystem.findMany({ orderBy: { code: "asc" }, select: { id: true, code: true, name: true, nameEn: true } });
}

export async function findPersonIdByEmployeeNo(employeeNo: string): Promise<string | null> {
  if (!employeeNo || employeeNo.length > 64) return null;
  const p = await getDb().person.findUnique({ where: { employeeNo }, select: { id: true } });
  return p?.id ?? null;
}
