import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { RenameOrgUnitInput } from "./schemas";
import { lockOrgUnit } from "./tree-lock";

/** Renames an active unit (Chinese and English names); an unchanged name writes nothing. */
export async function renameOrgUnit(tx: Tx, actor: Actor, raw: z.input<typeof RenameOrgUnitInput>) {
  assertCan(actor, "org:manage");
  const input = RenameOrgUnitInput.parse(raw);
  const unit = await lockOrgUnit(tx, input.orgUnitId);
  if (!unit) throw new DomainError("NOT_FOUND", { field: "orgUnitId" });
  if (!unit.isActive) throw new DomainError("ORG_UNIT_INACTIVE", { field: "orgUnitId" });
  const after = { name: input.name, nameEn: input.nameEn ?? null };
  if (after.name === unit.name && after.nameEn === unit.nameEn) return { id: unit.id, ...after, changed: false };
  await tx.orgUnit.update({ where: { id: unit.id }, data: after, select: { id: true } });
  await recordAuditEvent(tx, actor, {
    action: "org-unit.renamed",
    target: { type: "org-unit", id: unit.id },
    summary: { code: unit.code, before: { name: unit.name, nameEn: unit.nameEn }, after },
  });
  return { id: unit.id, ...after, changed: true };
}
