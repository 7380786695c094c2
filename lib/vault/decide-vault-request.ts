import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { notify } from "@/lib/notifications/notify";
import { personTopic, publishEvent, vaultTopic } from "@/lib/events/publish";
import { DecideVaultRequestInput } from "./schemas";
import { eligibleApprovers } from "./approvers";
import { personLabel, scenarioParams } from "./labels";

/**
 * The chosen approver approves or rejects a pending prompt (R14). Only that person, only while it is
 * pending and not expired, and only while they are still eligible; compare-and-set, so a second click
 * or a race has one outcome and the loser learns what happened. An approval is valid for the scenario's
 * validForSeconds, for one use by the operator on exactly the operation and target asked for.
 */
export async function decideVaultRequest(tx: Tx, actor: Actor, raw: z.input<typeof DecideVaultRequestInput>, now = new Date()) {
  const input = DecideVaultRequestInput.parse(raw);
  if (actor.kind !== "person") throw new DomainError("FORBIDDEN");
  const request = await tx.vaultRequest.findUnique({
    where: { id: input.vaultRequestId },
    include: {
      scenario: true,
      operator: { select: { id: true, name: true, employeeNo: true } },
      approver: { select: { name: true, employeeNo: true } },
    },
  });
  // Someone else's prompt is not theirs to see.
  if (!request || request.approverId !== actor.personId) throw new DomainError("NOT_FOUND");
  if (request.operatorId === actor.personId) throw new DomainError("VAULT_SELF_APPROVAL");
  if (request.status !== "PENDING") {
    throw new DomainError("VAULT_ALREADY_DECIDED", {
      params: { status: request.status, at: (request.decidedAt ?? request.createdAt).toISOString() },
    });
  }
  if (request.expiresAt <= now) throw new DomainError("VAULT_REQUEST_EXPIRED");
  const [stillEligible] = await eligibleApprovers(tx, request.scenario, request.operatorId, { only: [actor.personId], now });
  if (!stillEligible) throw new DomainError("VAULT_APPROVER_NOT_ELIGIBLE");

  const approve = input.outcome === "APPROVE";
  const status = approve ? ("APPROVED" as const) : ("REJECTED" as const);
  const validUntil = approve ? new Date(now.getTime() + request.scenario.validForSeconds * 1000) : null;
  const decided = await tx.vaultRequest.updateMany({
    where: { id: request.id, approverId: actor.personId, status: "PENDING", expiresAt: { gt: now } },
    data: { status, decidedAt: now, decisionComment: input.comment ?? null, validUntil },
  });
  if (decided.count !== 1) {
    const current = await tx.vaultRequest.findUnique({ where: { id: request.id }, select: { status: true, decidedAt: true } });
    throw new DomainError("VAULT_ALREADY_DECIDED", {
      params: { status: current?.status ?? "PENDING", at: (current?.decidedAt ?? now).toISOString() },
    });
  }
  await recordAuditEvent(tx, actor, {
    action: approve ? "vault.approved" : "vault.rejected",
    target: { type: "vault-request", id: request.id },
    summary: {
      scenario: request.scenario.code,
      operation: request.operation,
      targetType: request.targetType,
      targetId: request.targetId,
      operatorId: request.operatorId,
      ...(validUntil ? { validUntil: validUntil.toISOString() } : {}),
    },
    reason: input.comment ?? null,
  });
  await notify(tx, {
    recipientIds: [request.operatorId],
    kind: "vault-decided",
    params: {
      outcome: status,
      approver: personLabel(request.approver),
      ...scenarioParams(request.scenario),
      target: request.targetLabel ?? request.targetId,
    },
    link: `/vault/${request.id}`,
  });
  await publishEvent(tx, {
    type: "vault-decided",
    topics: [personTopic(request.operatorId), personTopic(actor.personId), vaultTopic(request.id)],
    data: { id: request.id, status },
  });
  return { id: request.id, status, decidedAt: now, validUntil };
}
