import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";

/** The head is the subtree's default approver (issue 4 routes approvals through it). */
export async function setOrgUnitHead(tx: Tx, actor: Actor, input: { orgUnitId: string; personId: string | null }): Promise<void> {
  assertCan(actor, "org:manage");
  const unit = await tx.orgUnit.findUnique({ where: { id: input.orgUnitId }, select: { id: true, headId: true } });
  if (!unit) throw new DomainError("NOT_FOUND", { field: "orgUnitId" });
  if (input.personId) {
    const person = await tx.person.findUnique({ where: { id: input.personId }, select: { status: true, employmentType: true } });
    if (!person || person.status !== "ACTIVE") throw new DomainError("NOT_FOUND", { field: "personId" });
    if (person.employmentType === "THIRD_PARTY") throw new DomainError("FORBIDDEN", { field: "personId", params: { permission: "third-party" } });
  }
  await tx.orgUnit.update({ where: { id: unit.id }, data: { headId: input.personId } });
  await recordAuditEvent(tx, actor, {
    action: "org-unit.head-changed",
    target: { type: "org-unit", id: unit.id },
    summary: { before: { headId: unit.headId }, after: { headId: input.personId } },
  });
}
