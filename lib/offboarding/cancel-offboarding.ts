import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { CancelOffboardingInput } from "./schemas";

/**
 * HR withdraws a case that is still waiting for its date (the person stays). Compare-and-set: a case
 * the job ran (or another HR user cancelled) meanwhile answers CONFLICT with its status.
 */
export async function cancelOffboarding(tx: Tx, actor: Actor, raw: z.input<typeof CancelOffboardingInput>, now = new Date()) {
  assertCan(actor, "people:manage");
  const input = CancelOffboardingInput.parse(raw);
  const found = await tx.offboardingCase.findUnique({ where: { id: input.caseId }, select: { id: true, status: true, personId: true } });
  if (!found) throw new DomainError("NOT_FOUND", { field: "caseId" });
  const changed = await tx.offboardingCase.updateMany({
    where: { id: found.id, status: "SCHEDULED" },
    data: { status: "CANCELLED", cancelledAt: now, cancelledById: actor.kind === "person" ? actor.personId : null },
  });
  if (changed.count !== 1) {
    const current = await tx.offboardingCase.findUnique({ where: { id: found.id }, select: { status: true } });
    throw new DomainError("CONFLICT", { params: { status: current?.status ?? found.status } });
  }
  await recordAuditEvent(tx, actor, {
    action: "offboarding.cancelled",
    target: { type: "offboarding-case", id: found.id },
    summary: { personId: found.personId, before: { status: "SCHEDULED" }, after: { status: "CANCELLED" } },
    reason: input.reason,
  });
  return { caseId: found.id, status: "CANCELLED" as const };
}
