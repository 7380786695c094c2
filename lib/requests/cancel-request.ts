import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { DomainError } from "@/lib/errors";
import { CancelRequestInput } from "./schemas";
import { auditRequest, closeApprovers, lockRequest, notifyAbout } from "./workflow";

/**
 * The requester or the subject withdraws a pending request. Under the request's row lock, so a cancel
 * and a decision racing give one outcome: the loser is told the request was already decided/cancelled.
 */
export async function cancelRequest(tx: Tx, actor: Actor, raw: z.input<typeof CancelRequestInput>, now = new Date()) {
  const input = CancelRequestInput.parse(raw);
  if (actor.kind !== "person") throw new DomainError("FORBIDDEN", { params: { permission: "requests:cancel" } });
  const request = await lockRequest(tx, input.requestId);
  if (!request) throw new DomainError("NOT_FOUND", { field: "requestId" });
  if (request.requesterId !== actor.personId && request.subjectId !== actor.personId) {
    throw new DomainError("FORBIDDEN", { params: { permission: "requests:cancel" } });
  }
  if (request.status === "CANCELLED" || request.status === "EXPIRED")
    throw new DomainError("REQUEST_CLOSED", { params: { status: request.status } });
  if (request.status !== "PENDING") throw new DomainError("REQUEST_ALREADY_DECIDED", { params: await lastDecision(tx, request.id) });

  const openApprovers = await tx.stageApprover.findMany({ where: { requestId: request.id, isOpen: true }, select: { approverId: true } });
  await tx.requestStage.updateMany({
    where: { requestId: request.id, status: { in: ["ACTIVE", "WAITING"] } },
    data: { status: "CANCELLED", decidedAt: now },
  });
  await closeApprovers(tx, request.id);
  await tx.accessRequest.update({
    where: { id: request.id },
    data: { status: "CANCELLED", decidedAt: now, closingNote: input.reason ?? null },
  });
  const others = [request.requesterId, request.subjectId].filter((id) => id !== actor.personId);
  await notifyAbout(tx, request, "request-cancelled", [...openApprovers.map((a) => a.approverId), ...others], {
    comment: input.reason ?? "",
  });
  await auditRequest(
    tx,
    actor,
    request,
    "request.cancelled",
    { before: { status: "PENDING" }, after: { status: "CANCELLED" } },
    input.reason,
  );
  return { requestId: request.id, status: "CANCELLED" as const };
}

async function lastDecision(tx: Tx, requestId: string) {
  const d = await tx.approvalDecision.findFirst({
    where: { requestId },
    orderBy: { createdAt: "desc" },
    select: { createdAt: true, approver: { select: { name: true, employeeNo: true } } },
  });
  return { who: d ? `${d.approver.name} (${d.approver.employeeNo})` : "-", when: (d?.createdAt ?? new Date(0)).getTime() };
}
