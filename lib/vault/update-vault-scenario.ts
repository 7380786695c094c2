import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { UpdateVaultScenarioInput } from "./schemas";
import { resolveNamedApprovers } from "./scenario-approvers";
import { isBuiltInScenario } from "./built-in";

/**
 * A security officer changes who approves a scenario, for how long an approval is valid, its names, or
 * switches it off (not the portal's built-in ones: R14 requires them). Under a row lock; audited with
 * before and after. Prompts already open keep the approver they were sent to.
 */
export async function updateVaultScenario(tx: Tx, actor: Actor, raw: z.input<typeof UpdateVaultScenarioInput>) {
  assertCan(actor, "vault-scenarios:manage");
  const input = UpdateVaultScenarioInput.parse(raw);
  const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM vault_scenario WHERE id = ${input.scenarioId}::uuid FOR UPDATE`;
  if (!locked) throw new DomainError("NOT_FOUND");
  const before = await tx.vaultScenario.findUniqueOrThrow({ where: { id: input.scenarioId } });
  if (!input.isActive && isBuiltInScenario(before.code)) throw new DomainError("VAULT_SCENARIO_BUILT_IN", { field: "isActive" });
  const approverIds = await resolveNamedApprovers(tx, input.approverEmployeeNos);
  if (!input.approverRoles.length && !approverIds.length) throw new DomainError("VALIDATION", { field: "approverRoles" });
  const after = {
    name: input.name,
    nameEn: input.nameEn ?? null,
    description: input.description ?? null,
    approverRoles: input.approverRoles,
    approverIds,
    validForSeconds: input.validForSeconds,
    isActive: input.isActive,
  };
  const changed = Object.fromEntries(
    Object.entries(after).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify((before as Record<string, unknown>)[k])),
  );
  if (!Object.keys(changed).length) return before;
  const updated = await tx.vaultScenario.update({ where: { id: before.id }, data: after });
  await recordAuditEvent(tx, actor, {
    action: "vault-scenario.updated",
    target: { type: "vault-scenario", id: before.id },
    summary: {
      code: before.code,
      before: Object.fromEntries(Object.keys(changed).map((k) => [k, (before as Record<string, unknown>)[k]])),
      after: changed,
    },
    reason: input.reason,
  });
  return updated;
}
