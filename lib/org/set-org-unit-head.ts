import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { SetOrgUnitHeadInput } from "./schemas";
import { lockOrgUnit } from "./tree-lock";

/**
 * The head is the subtree's default approver (issue 4 routes approvals through it): an active
 * employee, never a third party. Without personId or employeeNo the head is cleared.
 */
export async function setOrgUnitHead(tx: Tx, actor: Actor, raw: z.input<typeof SetOrgUnitHeadInput>): Promise<{ headId: string | null }> {
  assertCan(actor, "org:manage");
  const input = SetOrgUnitHeadInput.parse(raw);
  const field = input.employeeNo ? "employeeNo" : "personId";
  const unit = await lockOrgUnit(tx, input.orgUnitId);
  if (!unit) throw new DomainError("NOT_FOUND", { field: "orgUnitId" });
  if (!unit.isActive) throw new DomainError("ORG_UNIT_INACTIVE", { field: "orgUnitId" });
  let headId: string | null = null;
  if (input.personId || input.employeeNo) {
    const person = await tx.person.findUnique({
      where: input.employeeNo ? { employeeNo: input.employeeNo } : { id: input.personId! },
      select: { id: true, status: true, employmentType: true },
    });
    if (!person || person.status !== "ACTIVE") throw new DomainError("NOT_FOUND", { field });
    if (person.employmentType === "THIRD_PARTY") throw new DomainError("FORBIDDEN", { field, params: { permission: "third-party" } });
    headId = person.id;
  }
  await tx.orgUnit.update({ where: { id: unit.id }, data: { headId } });
  await recordAuditEvent(tx, actor, {
    action: "org-unit.head-changed",
    target: { type: "org-unit", id: unit.id },
    summary: { before: { headId: unit.headId }, after: { headId } },
  });
  return { headId };
}
