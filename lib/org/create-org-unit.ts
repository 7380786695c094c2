import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { CreateOrgUnitInput } from "./schemas";
import { lockOrgTree } from "./tree-lock";

/** A new unit under an active parent (or a new top unit when no parent is given). */
export async function createOrgUnit(tx: Tx, actor: Actor, raw: z.input<typeof CreateOrgUnitInput>) {
  assertCan(actor, "org:manage");
  const input = CreateOrgUnitInput.parse(raw);
  // Under the tree lock the parent cannot be deactivated or moved between the check and the insert.
  await lockOrgTree(tx);
  if (await tx.orgUnit.findUnique({ where: { code: input.code }, select: { id: true } })) {
    throw new DomainError("ALREADY_EXISTS", { field: "code" });
  }
  const parent = input.parentId
    ? await tx.orgUnit.findUnique({ where: { id: input.parentId }, select: { path: true, isActive: true } })
    : null;
  if (input.parentId && !parent) throw new DomainError("NOT_FOUND", { field: "parentId" });
  if (parent && !parent.isActive) throw new DomainError("ORG_UNIT_INACTIVE", { field: "parentId" });
  const id = randomUUID();
  const unit = await tx.orgUnit.create({
    data: { id, code: input.code, name: input.name, nameEn: input.nameEn, parentId: input.parentId, path: `${parent?.path ?? "/"}${id}/` },
  });
  await recordAuditEvent(tx, actor, {
    action: "org-unit.created",
    target: { type: "org-unit", id: unit.id },
    summary: { after: { code: unit.code, name: unit.name, parentId: unit.parentId } },
  });
  return unit;
}
