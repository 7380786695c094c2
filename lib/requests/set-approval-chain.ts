import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { SetApprovalChainInput } from "./schemas";
import { eligiblePeople } from "./approvers";
import { parseChainDefinition } from "./chain";

/**
 * A system's own approval path (R7), set by its appointed account administrators: the stages for
 * standard roles and for sensitive or administrative ones (which must keep a security stage, R8).
 * `definition: null` returns the system to the default chain. Named approvers must be active people
 * with a usable account. Audited with the chain before and after. Requests already submitted keep the
 * stages they were given.
 */
export async function setApprovalChain(tx: Tx, actor: Actor, raw: z.input<typeof SetApprovalChainInput>) {
  const input = SetApprovalChainInput.parse(raw);
  const system = await tx.businessSystem.findUnique({ where: { id: input.systemId }, select: { id: true, isActive: true } });
  if (!system) throw new DomainError("NOT_FOUND", { field: "systemId" });
  assertCan(actor, "approval-chains:manage", { systemId: system.id });

  if (input.definition) {
    const named = [...input.definition.standard, ...input.definition.sensitive].flatMap((s) => s.namedApproverIds ?? []);
    const eligible = await eligiblePeople(tx, named);
    if (named.some((id) => !eligible.has(id))) throw new DomainError("VALIDATION", { field: "namedApproverIds" });
  }

  // Serialises two administrators editing the same chain; the audit row then records the true "before".
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`approval-chain:${system.id}`}, 0))`;
  const before = await tx.approvalChain.findUnique({ where: { systemId: system.id }, select: { definition: true } });
  const actorId = actor.kind === "person" ? actor.personId : null;
  if (input.definition) {
    await tx.approvalChain.upsert({
      where: { systemId: system.id },
      create: { systemId: system.id, definition: input.definition, updatedById: actorId },
      update: { definition: input.definition, updatedById: actorId },
    });
  } else if (before) {
    await tx.approvalChain.delete({ where: { systemId: system.id } });
  }
  await recordAuditEvent(tx, actor, {
    action: "approval-chain.updated",
    target: { type: "system", id: system.id },
    summary: { before: { definition: parseChainDefinition(before?.definition) }, after: { definition: input.definition } },
    reason: input.reason,
  });
  return { systemId: system.id, definition: input.definition };
}
