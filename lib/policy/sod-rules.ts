import { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { ReasonInput, requiredText, text } from "@/lib/validation";

export const CreateSodRuleInput = z
  .object({
    kind: z.enum(["ROLE_PAIR", "PERMISSION_PAIR"]),
    leftId: text().uuid("invalid"),
    rightId: text().uuid("invalid"),
    description: requiredText(300),
  })
  .refine((v) => v.leftId !== v.rightId, { path: ["rightId"], message: "invalid" });

/** A further incompatible pair (R6): two roles, or two permissions, nobody may hold together. */
export async function createSodRule(tx: Tx, actor: Actor, raw: z.input<typeof CreateSodRuleInput>) {
  assertCan(actor, "policy:manage");
  const input = CreateSodRuleInput.parse(raw);
  const ids = [input.leftId, input.rightId];
  const found =
    input.kind === "ROLE_PAIR"
      ? await tx.jobRole.count({ where: { id: { in: ids } } })
      : await tx.permission.count({ where: { id: { in: ids } } });
  if (found !== 2) throw new DomainError("NOT_FOUND", { field: "rightId" });
  const [leftId, rightId] = [...ids].sort();
  const pair =
    input.kind === "ROLE_PAIR" ? { leftRoleId: leftId, rightRoleId: rightId } : { leftPermissionId: leftId, rightPermissionId: rightId };
  const duplicate = await tx.sodRule.findFirst({ where: { kind: input.kind, isActive: true, ...pair }, select: { id: true } });
  if (duplicate) throw new DomainError("ALREADY_EXISTS", { field: "rightId" });
  const rule = await tx.sodRule.create({
    data: { kind: input.kind, ...pair, description: input.description, createdById: actor.kind === "person" ? actor.personId : null },
  });
  await recordAuditEvent(tx, actor, {
    action: "sod-rule.created",
    target: { type: "sod-rule", id: rule.id },
    summary: { after: { kind: rule.kind, ...pair, description: rule.description } },
  });
  return rule;
}

export const DeactivateSodRuleInput = z.object({ ruleId: text().uuid("invalid"), reason: ReasonInput });

export async function deactivateSodRule(tx: Tx, actor: Actor, raw: z.input<typeof DeactivateSodRuleInput>) {
  assertCan(actor, "policy:manage");
  const input = DeactivateSodRuleInput.parse(raw);
  const changed = await tx.sodRule.updateMany({ where: { id: input.ruleId, isActive: true }, data: { isActive: false } });
  if (changed.count !== 1) throw new DomainError("CONFLICT");
  await recordAuditEvent(tx, actor, {
    action: "sod-rule.deactivated",
    target: { type: "sod-rule", id: input.ruleId },
    reason: input.reason,
  });
}
