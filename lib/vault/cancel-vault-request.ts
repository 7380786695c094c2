import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { personTopic, publishEvent, vaultTopic } from "@/lib/events/publish";
import { CancelVaultRequestInput } from "./schemas";

/** The operator withdraws a prompt nobody has answered yet; the approver's prompt closes. */
export async function cancelVaultRequest(tx: Tx, actor: Actor, raw: z.input<typeof CancelVaultRequestInput>, now = new Date()) {
  const input = CancelVaultRequestInput.parse(raw);
  if (actor.kind !== "person") throw new DomainError("FORBIDDEN");
  const request = await tx.vaultRequest.findUnique({
    where: { id: input.vaultRequestId },
    select: { id: true, operatorId: true, approverId: true, status: true, decidedAt: true, createdAt: true },
  });
  if (!request || request.operatorId !== actor.personId) throw new DomainError("NOT_FOUND");
  const cancelled = await tx.vaultRequest.updateMany({
    where: { id: request.id, status: "PENDING" },
    data: { status: "CANCELLED", decidedAt: now },
  });
  if (cancelled.count !== 1) {
    const current = await tx.vaultRequest.findUnique({ where: { id: request.id }, select: { status: true, decidedAt: true } });
    throw new DomainError("VAULT_ALREADY_DECIDED", {
      params: { status: current?.status ?? request.status, at: (current?.decidedAt ?? request.createdAt).toISOString() },
    });
  }
  await recordAuditEvent(tx, actor, { action: "vault.cancelled", target: { type: "vault-request", id: request.id } });
  await publishEvent(tx, {
    type: "vault-prompt",
    topics: [personTopic(request.approverId), personTopic(request.operatorId), vaultTopic(request.id)],
    data: { id: request.id, status: "CANCELLED" },
  });
  return { id: request.id, status: "CANCELLED" as const };
}
