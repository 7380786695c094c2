import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { UpdateBusinessSystemInput } from "./schemas";
import { changedFields } from "./diff";

export async function updateBusinessSystem(tx: Tx, actor: Actor, raw: z.input<typeof UpdateBusinessSystemInput>) {
  assertCan(actor, "systems:manage");
  const { systemId, reason, ...fields } = UpdateBusinessSystemInput.parse(raw);
  const before = await tx.businessSystem.findUnique({ where: { id: systemId } });
  if (!before) throw new DomainError("NOT_FOUND");
  const owner = await tx.orgUnit.findUnique({ where: { id: fields.ownerOrgId }, select: { isActive: true } });
  if (!owner?.isActive) throw new DomainError("NOT_FOUND", { field: "ownerOrgId" });
  const normalised = { ...fields, nameEn: fields.nameEn ?? null, description: fields.description ?? null };
  const diff = changedFields(before, normalised);
  if (Object.keys(diff.after).length === 0) return before;
  const system = await tx.businessSystem.update({ where: { id: systemId }, data: normalised });
  await recordAuditEvent(tx, actor, { action: "system.updated", target: { type: "system", id: systemId }, summary: diff, reason });
  return system;
}
