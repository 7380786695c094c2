import type { Tx } from "@/lib/db";
import { DomainError } from "@/lib/errors";

/** Employee numbers → ids of active people; unknown or inactive ones refuse the change with the list. */
export async function resolveNamedApprovers(tx: Tx, employeeNos: string[]): Promise<string[]> {
  const wanted = [...new Set(employeeNos.map((n) => n.trim()).filter(Boolean))];
  if (!wanted.length) return [];
  const people = await tx.person.findMany({
    where: { employeeNo: { in: wanted }, status: "ACTIVE" },
    select: { id: true, employeeNo: true },
  });
  const found = new Set(people.map((p) => p.employeeNo));
  const unknown = wanted.filter((n) => !found.has(n));
  if (unknown.length)
    throw new DomainError("VALIDATION", { field: "approverEmployeeNos", params: { list: unknown.join(", ") }, details: { unknown } });
  return people.map((p) => p.id);
}
