import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { MoveOrgUnitInput } from "./schemas";
import { lockOrgTree, lockOrgUnit } from "./tree-lock";

/**
 * Moves a unit, with its whole subtree, under another active unit. Refuses the top of the
 * organisation (ORG_ROOT_FIXED) and a new parent inside the unit's own subtree, itself included
 * (ORG_CYCLE). Every path in the subtree is rewritten in one statement.
 */
export async function moveOrgUnit(tx: Tx, actor: Actor, raw: z.input<typeof MoveOrgUnitInput>) {
  assertCan(actor, "org:manage");
  const input = MoveOrgUnitInput.parse(raw);
  // Paths are read only after the tree lock: a concurrent move has either committed (and we see its
  // paths) or waits for us. Without it, "A under B" and "B under A" could both pass the cycle check.
  await lockOrgTree(tx);
  const unit = await lockOrgUnit(tx, input.orgUnitId);
  if (!unit) throw new DomainError("NOT_FOUND", { field: "orgUnitId" });
  if (!unit.isActive) throw new DomainError("ORG_UNIT_INACTIVE", { field: "orgUnitId" });
  if (!unit.parentId) throw new DomainError("ORG_ROOT_FIXED", { field: "orgUnitId" });
  const parent = await tx.orgUnit.findUnique({ where: { id: input.parentId }, select: { id: true, path: true, isActive: true } });
  if (!parent) throw new DomainError("NOT_FOUND", { field: "parentId" });
  if (parent.path.startsWith(unit.path)) throw new DomainError("ORG_CYCLE", { field: "parentId" });
  if (!parent.isActive) throw new DomainError("ORG_UNIT_INACTIVE", { field: "parentId" });
  if (parent.id === unit.parentId) return { id: unit.id, parentId: parent.id, path: unit.path, moved: 0 };

  const oldPrefix = unit.path;
  const newPrefix = `${parent.path}${unit.id}/`;
  // Ids are UUIDs (hex and "-"), so the path holds no LIKE wildcards; the prefix scan uses the
  // text_pattern_ops index on path.
  const moved = await tx.$executeRaw`
    UPDATE org_unit
    SET path = ${newPrefix} || substr(path, ${oldPrefix.length + 1}::int),
        parent_id = CASE WHEN id = ${unit.id}::uuid THEN ${parent.id}::uuid ELSE parent_id END,
        updated_at = now()
    WHERE path LIKE ${`${oldPrefix}%`}`;
  await recordAuditEvent(tx, actor, {
    action: "org-unit.moved",
    target: { type: "org-unit", id: unit.id },
    summary: {
      code: unit.code,
      before: { parentId: unit.parentId, path: oldPrefix },
      after: { parentId: parent.id, path: newPrefix },
      // The unit itself and every unit below it.
      unitsMoved: moved,
    },
  });
  return { id: unit.id, parentId: parent.id, path: newPrefix, moved };
}
