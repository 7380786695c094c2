import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { publishEvent, vaultTopic } from "@/lib/events/publish";
import { ConsumeVaultApprovalInput } from "./schemas";

/**
 * Uses the operator's approval for exactly this operation on this target, once (R14), in the same
 * transaction as the operation it allows: if the operation fails, the approval is not used up.
 * Compare-and-set on (operator, operation, target, APPROVED, unexpired, unconsumed); otherwise the
 * precise reason: no such approval of theirs, still pending, rejected, expired, already used, or
 * given for another operation or target.
 */
export async function consumeVaultApproval(
  tx: Tx,
  actor: Actor,
  raw: z.input<typeof ConsumeVaultApprovalInput>,
  now = new Date(),
  opts: { scenarioCode?: string } = {},
) {
  const input = ConsumeVaultApprovalInput.parse(raw);
  if (actor.kind !== "person") throw new DomainError("VAULT_APPROVAL_REQUIRED");
  const consumed = await tx.vaultRequest.updateMany({
    where: {
      id: input.vaultRequestId,
      operatorId: actor.personId,
      operation: input.operation,
      targetType: input.targetType,
      targetId: input.targetId,
      status: "APPROVED",
      consumedAt: null,
      validUntil: { gt: now },
      ...(opts.scenarioCode ? { scenario: { code: opts.scenarioCode } } : {}),
    },
    data: { status: "CONSUMED", consumedAt: now },
  });
  if (consumed.count !== 1) {
    const request = await tx.vaultRequest.findUnique({
      where: { id: input.vaultRequestId },
      select: {
        operatorId: true,
        operation: true,
        targetType: true,
        targetId: true,
        status: true,
        validUntil: true,
        scenario: { select: { code: true } },
      },
    });
    if (!request || request.operatorId !== actor.personId) throw new DomainError("VAULT_APPROVAL_REQUIRED");
    const sameThing =
      request.operation === input.operation &&
      request.targetType === input.targetType &&
      request.targetId === input.targetId &&
      (!opts.scenarioCode || request.scenario.code === opts.scenarioCode);
    if (!sameThing) throw new DomainError("VAULT_APPROVAL_MISMATCH");
    if (request.status === "CONSUMED") throw new DomainError("VAULT_APPROVAL_USED");
    if (request.status === "PENDING") throw new DomainError("VAULT_APPROVAL_PENDING");
    if (request.status === "REJECTED") throw new DomainError("VAULT_APPROVAL_REJECTED");
    if (request.status === "APPROVED" && request.validUntil && request.validUntil > now) throw new DomainError("VAULT_APPROVAL_USED");
    throw new DomainError("VAULT_APPROVAL_EXPIRED");
  }
  await recordAuditEvent(tx, actor, {
    action: "vault.consumed",
    target: { type: "vault-request", id: input.vaultRequestId },
    summary: { operation: input.operation, targetType: input.targetType, targetId: input.targetId },
  });
  await publishEvent(tx, {
    type: "vault-decided",
    topics: [vaultTopic(input.vaultRequestId)],
    data: { id: input.vaultRequestId, status: "CONSUMED" },
  });
  return { id: input.vaultRequestId, consumedAt: now };
}

/**
 * For a guarded use case: a person operator must present an approval, consumed here; the seed and
 * background jobs (system actors) are not people at a screen and are not prompted.
 */
export async function requireVaultApproval(
  tx: Tx,
  actor: Actor,
  scenarioCode: string,
  attempt: { vaultRequestId?: string | null; operation: string; targetType: string; targetId: string },
  now = new Date(),
): Promise<string | null> {
  if (actor.kind !== "person") return null;
  if (!attempt.vaultRequestId) throw new DomainError("VAULT_APPROVAL_REQUIRED", { params: { scenario: scenarioCode } });
  await consumeVaultApproval(
    tx,
    actor,
    { vaultRequestId: attempt.vaultRequestId, operation: attempt.operation, targetType: attempt.targetType, targetId: attempt.targetId },
    now,
    { scenarioCode },
  );
  return attempt.vaultRequestId;
}
