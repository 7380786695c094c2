import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { isUniqueViolation } from "@/lib/db-errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { CreateVaultScenarioInput } from "./schemas";
import { resolveNamedApprovers } from "./scenario-approvers";

/**
 * A security officer declares a vault scenario (R14): the operation it guards (a code; optionally one a
 * business system declares, such as "CRM:bulk-export"), who may approve (portal roles and/or named
 * people) and how long an approval stays valid.
 */
export async function createVaultScenario(tx: Tx, actor: Actor, raw: z.input<typeof CreateVaultScenarioInput>) {
  assertCan(actor, "vault-scenarios:manage");
  const input = CreateVaultScenarioInput.parse(raw);
  const approverIds = await resolveNamedApprovers(tx, input.approverEmployeeNos);
  if (!input.approverRoles.length && !approverIds.length) throw new DomainError("VALIDATION", { field: "approverRoles" });
  if (input.systemId) {
    const system = await tx.businessSystem.findUnique({ where: { id: input.systemId }, select: { isActive: true } });
    if (!system || !system.isActive) throw new DomainError("NOT_FOUND", { field: "systemId" });
  }
  try {
    const scenario = await tx.vaultScenario.create({
      data: {
        code: input.code,
        name: input.name,
        nameEn: input.nameEn ?? null,
        description: input.description ?? null,
        systemId: input.systemId ?? null,
        approverRoles: input.approverRoles,
        approverIds,
        validForSeconds: input.validForSeconds,
        isActive: true,
        createdById: actor.kind === "person" ? actor.personId : null,
      },
    });
    await recordAuditEvent(tx, actor, {
      action: "vault-scenario.created",
      target: { type: "vault-scenario", id: scenario.id },
      summary: {
        after: {
          code: scenario.code,
          systemId: scenario.systemId,
          approverRoles: scenario.approverRoles,
          approverIds,
          validForSeconds: scenario.validForSeconds,
        },
      },
      reason: input.reason,
    });
    return scenario;
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError("ALREADY_EXISTS", { field: "code" });
    throw error;
  }
}
