import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { isUniqueViolation } from "@/lib/db-errors";
import { CreatePermissionInput, UpdatePermissionInput } from "./schemas";
import { changedFields } from "./diff";

async function activeSystem(tx: Tx, systemId: string) {
  const system = await tx.businessSystem.findUnique({ where: { id: systemId }, select: { id: true, isActive: true } });
  if (!system?.isActive) throw new DomainError("NOT_FOUND", { field: "systemId" });
  return system;
}

/** Adds a classified permission to a system: the data it reaches, its sensitivity and the operation. */
export async function createPermission(tx: Tx, actor: Actor, raw: z.input<typeof CreatePermissionInput>) {
  const { reason, ...input } = CreatePermissionInput.parse(raw);
  assertCan(actor, "catalog:manage", { systemId: input.systemId });
  await activeSystem(tx, input.systemId);
  const permission = await tx.permission.create({ data: input }).catch((error: unknown) => {
    if (isUniqueViolation(error)) throw new DomainError("ALREADY_EXISTS", { field: "code" });
    throw error;
  });
  await recordAuditEvent(tx, actor, {
    action: "permission.created",
    target: { type: "permission", id: permission.id },
    summary: {
      systemId: input.systemId,
      after: {
        code: permission.code,
        name: permission.name,
        dataKind: permission.dataKind,
        sensitivity: permission.sensitivity,
        operation: permission.operation,
        isLogManagement: permission.isLogManagement,
        isAccountCreation: permission.isAccountCreation,
      },
    },
    reason,
  });
  return permission;
}

/** Reclassifies or renames a permission; the reason is kept with the change. */
export async function updatePermission(tx: Tx, actor: Actor, raw: z.input<typeof UpdatePermissionInput>) {
  const { permissionId, reason, ...fields } = UpdatePermissionInput.parse(raw);
  const before = await tx.permission.findUnique({ where: { id: permissionId } });
  if (!before) throw new DomainError("NOT_FOUND");
  assertCan(actor, "catalog:manage", { systemId: before.systemId });
  const normalised = { ...fields, nameEn: fields.nameEn ?? null, description: fields.description ?? null };
  const diff = changedFields(before, normalised);
  if (Object.keys(diff.after).length === 0) return before;
  const permission = await tx.permission.update({ where: { id: permissionId }, data: normalised });
  await recordAuditEvent(tx, actor, {
    action: "permission.updated",
    target: { type: "permission", id: permissionId },
    summary: { systemId: before.systemId, code: before.code, ...diff },
    reason,
  });
  return permission;
}
