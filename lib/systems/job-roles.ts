import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { isUniqueViolation } from "@/lib/db-errors";
import { CreateJobRoleInput, UpdateJobRoleInput } from "./schemas";
import { changedFields } from "./diff";

/** A job role of one system (岗位角色): what people are granted; permissions come with it (R1). */
export async function createJobRole(tx: Tx, actor: Actor, raw: z.input<typeof CreateJobRoleInput>) {
  const { reason, ...input } = CreateJobRoleInput.parse(raw);
  assertCan(actor, "catalog:manage", { systemId: input.systemId });
  const system = await tx.businessSystem.findUnique({ where: { id: input.systemId }, select: { isActive: true } });
  if (!system?.isActive) throw new DomainError("NOT_FOUND", { field: "systemId" });
  const role = await tx.jobRole.create({ data: input }).catch((error: unknown) => {
    if (isUniqueViolation(error)) throw new DomainError("ALREADY_EXISTS", { field: "code" });
    throw error;
  });
  await recordAuditEvent(tx, actor, {
    action: "job-role.created",
    target: { type: "job-role", id: role.id },
    summary: {
      systemId: input.systemId,
      after: { code: role.code, name: role.name, isAdministrative: role.isAdministrative, isRequestable: role.isRequestable },
    },
    reason,
  });
  return role;
}

export async function updateJobRole(tx: Tx, actor: Actor, raw: z.input<typeof UpdateJobRoleInput>) {
  const { roleId, reason, ...fields } = UpdateJobRoleInput.parse(raw);
  const before = await tx.jobRole.findUnique({ where: { id: roleId } });
  if (!before) throw new DomainError("NOT_FOUND");
  assertCan(actor, "catalog:manage", { systemId: before.systemId });
  const normalised = { ...fields, nameEn: fields.nameEn ?? null, description: fields.description ?? null };
  const diff = changedFields(before, normalised);
  if (Object.keys(diff.after).length === 0) return before;
  const role = await tx.jobRole.update({ where: { id: roleId }, data: normalised });
  await recordAuditEvent(tx, actor, {
    action: "job-role.updated",
    target: { type: "job-role", id: roleId },
    summary: { systemId: before.systemId, code: before.code, ...diff },
    reason,
  });
  return role;
}
