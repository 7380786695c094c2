import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { DeactivateOrgUnitInput } from "./schemas";
import { lockOrgTree, lockOrgUnit } from "./tree-lock";

/**
 * Deactivates an empty unit: no active sub-units, nobody ACTIVE or SUSPENDED in its subtree and no
 * active business system owned there (ORG_UNIT_NOT_EMPTY otherwise, with the counts). Units are
 * never deleted: people who left, old grants and the audit trail still point at them.
 */
export async function deactivateOrgUnit(tx: Tx, actor: Actor, raw: z.input<typeof DeactivateOrgUnitInput>) {
  assertCan(actor, "org:manage");
  const input = DeactivateOrgUnitInput.parse(raw);
  // The tree lock keeps sub-units from being created or moved in; the row lock (FOR UPDATE) keeps
  // people and systems from being attached until we commit, and waits for those already underway.
  await lockOrgTree(tx);
  const unit = await lockOrgUnit(tx, input.orgUnitId, { blockAttach: true });
  if (!unit) throw new DomainError("NOT_FOUND", { field: "orgUnitId" });
  if (!unit.isActive) throw new DomainError("ORG_UNIT_INACTIVE", { field: "orgUnitId" });
  const units = await tx.orgUnit.count({ where: { parentId: unit.id, isActive: true } });
  const people = await tx.person.count({
    where: { status: { in: ["ACTIVE", "SUSPENDED"] }, orgUnit: { path: { startsWith: unit.path } } },
  });
  const systems = await tx.businessSystem.count({ where: { isActive: true, ownerOrg: { path: { startsWith: unit.path } } } });
  if (units + people + systems > 0) throw new DomainError("ORG_UNIT_NOT_EMPTY", { field: "orgUnitId", params: { units, people, systems } });
  await tx.orgUnit.update({ where: { id: unit.id }, data: { isActive: false }, select: { id: true } });
  await recordAuditEvent(tx, actor, {
    action: "org-unit.deactivated",
    target: { type: "org-unit", id: unit.id },
    summary: { code: unit.code, name: unit.name, before: { isActive: true }, after: { isActive: false } },
  });
  return { id: unit.id, isActive: false };
}
