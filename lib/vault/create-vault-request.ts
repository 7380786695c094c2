import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { notify } from "@/lib/notifications/notify";
import { personTopic, publishEvent, vaultTopic } from "@/lib/events/publish";
import { CreateVaultRequestInput } from "./schemas";
import { eligibleApprovers } from "./approvers";
import { checkVaultAttempt } from "./operations";
import { isBuiltInScenario } from "./built-in";
import { ensureBuiltInVaultScenarios } from "./ensure-built-in-scenarios";
import { personLabel, scenarioParams } from "./labels";

// How long the approver has to answer a prompt (R14: at that moment). The approval, once given, is
// valid for the scenario's own validForSeconds.
export const VAULT_PROMPT_SECONDS = 300;

/**
 * The operator asks a chosen approver to allow one operation on one target now (R14). The approver
 * must be eligible for the scenario, not the operator, active and online; the approver's open portal
 * pages show the prompt at once (server push on commit) and they get a notification (and e-mail).
 * Asking again for the same operation and target while a prompt is open returns that prompt (same
 * approver: a double submission) or withdraws it first (another approver).
 */
export async function createVaultRequest(tx: Tx, actor: Actor, raw: z.input<typeof CreateVaultRequestInput>, now = new Date()) {
  const input = CreateVaultRequestInput.parse(raw);
  const operatorId = actor.kind === "person" ? actor.personId : input.operatorId;
  if (!operatorId) throw new DomainError("VALIDATION", { field: "operatorId" });

  let scenario = await tx.vaultScenario.findUnique({ where: { code: input.scenarioCode } });
  if (!scenario && isBuiltInScenario(input.scenarioCode)) {
    await ensureBuiltInVaultScenarios(tx);
    scenario = await tx.vaultScenario.findUnique({ where: { code: input.scenarioCode } });
  }
  if (!scenario) throw new DomainError("NOT_FOUND", { field: "scenarioCode" });
  if (!scenario.isActive) throw new DomainError("VAULT_SCENARIO_INACTIVE", { field: "scenarioCode" });

  const checkedLabel = await checkVaultAttempt(tx, actor, scenario.code, input);
  const operator = await tx.person.findUnique({
    where: { id: operatorId },
    select: { id: true, name: true, employeeNo: true, status: true },
  });
  if (!operator || operator.status !== "ACTIVE") throw new DomainError("NOT_FOUND", { field: "operatorId" });
  if (input.approverId === operatorId) throw new DomainError("VAULT_SELF_APPROVAL", { field: "approverId" });

  const [approver] = await eligibleApprovers(tx, scenario, operatorId, { only: [input.approverId], now });
  if (!approver) throw new DomainError("VAULT_APPROVER_NOT_ELIGIBLE", { field: "approverId" });
  if (!approver.online) throw new DomainError("VAULT_APPROVER_OFFLINE", { field: "approverId", params: { name: personLabel(approver) } });

  // One open prompt per operator, operation and target. Locked, so a double click makes one prompt.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`vault:${operatorId}:${input.operation}:${input.targetType}:${input.targetId}`}))`;
  const open = await tx.vaultRequest.findFirst({
    where: {
      operatorId,
      operation: input.operation,
      targetType: input.targetType,
      targetId: input.targetId,
      status: "PENDING",
      expiresAt: { gt: now },
    },
    select: { id: true, approverId: true, expiresAt: true },
  });
  if (open && open.approverId === approver.id) {
    return {
      id: open.id,
      status: "PENDING" as const,
      expiresAt: open.expiresAt,
      approver: { id: approver.id, name: approver.name, employeeNo: approver.employeeNo },
    };
  }
  if (open) {
    await tx.vaultRequest.updateMany({ where: { id: open.id, status: "PENDING" }, data: { status: "CANCELLED", decidedAt: now } });
    await recordAuditEvent(tx, actor, {
      action: "vault.cancelled",
      target: { type: "vault-request", id: open.id },
      summary: { replacedBy: "another approver" },
    });
    await publishEvent(tx, {
      type: "vault-prompt",
      topics: [personTopic(open.approverId), vaultTopic(open.id)],
      data: { id: open.id, status: "CANCELLED" },
    });
  }

  const targetLabel = input.targetLabel ?? checkedLabel ?? `${input.targetType} ${input.targetId}`;
  const request = await tx.vaultRequest.create({
    data: {
      scenarioId: scenario.id,
      operatorId,
      apiTokenId: input.apiTokenId ?? null,
      approverId: approver.id,
      operation: input.operation,
      targetType: input.targetType,
      targetId: input.targetId,
      targetLabel,
      context: input.context ?? undefined,
      reason: input.reason,
      expiresAt: new Date(now.getTime() + VAULT_PROMPT_SECONDS * 1000),
      createdAt: now,
    },
    select: { id: true, status: true, expiresAt: true },
  });
  await recordAuditEvent(tx, actor, {
    action: "vault.requested",
    target: { type: "vault-request", id: request.id },
    summary: {
      scenario: scenario.code,
      operation: input.operation,
      targetType: input.targetType,
      targetId: input.targetId,
      targetLabel,
      operatorId,
      approverId: approver.id,
      expiresAt: request.expiresAt.toISOString(),
    },
    reason: input.reason,
  });
  await notify(tx, {
    recipientIds: [approver.id],
    kind: "vault-prompt",
    params: { operator: personLabel(operator), ...scenarioParams(scenario), target: targetLabel },
    link: `/vault/${request.id}`,
  });
  await publishEvent(tx, { type: "vault-prompt", topics: [personTopic(approver.id)], data: { id: request.id, status: "PENDING" } });
  return {
    id: request.id,
    status: request.status,
    expiresAt: request.expiresAt,
    approver: { id: approver.id, name: approver.name, employeeNo: approver.employeeNo },
  };
}
