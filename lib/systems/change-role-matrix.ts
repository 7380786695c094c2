import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { ChangeMatrixInput } from "./schemas";

type Cell = { roleId: string; permissionId: string };

/**
 * Applies explicit additions and removals to one system's role-permission matrix, set-based:
 * one INSERT for all additions (cells already open are skipped) and one UPDATE end-dating all
 * removals. Cells are never deleted, so the matrix as of any past date can be reconstructed.
 * One audit event per role touched, naming the permission codes added and removed, with the reason.
 */
export async function changeRoleMatrix(tx: Tx, actor: Actor, raw: z.input<typeof ChangeMatrixInput>) {
  const input = ChangeMatrixInput.parse(raw);
  assertCan(actor, "catalog:manage", { systemId: input.systemId });
  return applyMatrixChange(tx, actor, input);
}

/**
 * The change itself, once authorized: by the system's account administrators (changeRoleMatrix), or by
 * the approval of a MATRIX_CHANGE request (lib/requests, R8), whose number is then the audit basis.
 */
export async function applyMatrixChange(tx: Tx, actor: Actor, input: z.output<typeof ChangeMatrixInput>, opts: { basis?: string } = {}) {
  const cells = [...input.add, ...input.remove];
  const roleIds = [...new Set(cells.map((c) => c.roleId))];
  const permissionIds = [...new Set(cells.map((c) => c.permissionId))];
  // Serialise matrix changes of one system; also proves the system exists.
  const locked = await tx.$queryRaw<
    { id: string }[]
  >`SELECT id FROM business_system WHERE id = ${input.systemId}::uuid AND is_active FOR UPDATE`;
  if (locked.length === 0) throw new DomainError("NOT_FOUND", { field: "systemId" });
  const roles = await tx.jobRole.findMany({ where: { id: { in: roleIds }, systemId: input.systemId }, select: { id: true, code: true } });
  const permissions = await tx.permission.findMany({
    where: { id: { in: permissionIds }, systemId: input.systemId },
    select: { id: true, code: true, isActive: true },
  });
  if (roles.length !== roleIds.length || permissions.length !== permissionIds.length) throw new DomainError("NOT_FOUND");
  const inactive = new Set(permissions.filter((p) => !p.isActive).map((p) => p.id));
  if (input.add.some((c) => inactive.has(c.permissionId))) throw new DomainError("CONFLICT");

  const actorId = actor.kind === "person" ? actor.personId : null;
  const added = input.add.length
    ? await tx.$queryRaw<Cell[]>`
        INSERT INTO role_permission (id, role_id, permission_id, starts_at, added_by_id)
        SELECT gen_random_uuid(), t.role_id, t.permission_id, now(), ${actorId}::uuid
        FROM unnest(${input.add.map((c) => c.roleId)}::uuid[], ${input.add.map((c) => c.permissionId)}::uuid[]) AS t(role_id, permission_id)
        ON CONFLICT (role_id, permission_id) WHERE ends_at IS NULL DO NOTHING
        RETURNING role_id AS "roleId", permission_id AS "permissionId"`
    : [];
  const removed = input.remove.length
    ? await tx.$queryRaw<Cell[]>`
        UPDATE role_permission rp SET ends_at = now(), removed_by_id = ${actorId}::uuid
        FROM unnest(${input.remove.map((c) => c.roleId)}::uuid[], ${input.remove.map((c) => c.permissionId)}::uuid[]) AS t(role_id, permission_id)
        WHERE rp.role_id = t.role_id AND rp.permission_id = t.permission_id AND rp.ends_at IS NULL
        RETURNING rp.role_id AS "roleId", rp.permission_id AS "permissionId"`
    : [];

  const roleCode = new Map(roles.map((r) => [r.id, r.code]));
  const permissionCode = new Map(permissions.map((p) => [p.id, p.code]));
  const touched = new Map<string, { added: string[]; removed: string[] }>();
  for (const [list, key] of [
    [added, "added"],
    [removed, "removed"],
  ] as const) {
    for (const c of list) {
      const entry = touched.get(c.roleId) ?? { added: [], removed: [] };
      entry[key].push(permissionCode.get(c.permissionId)!);
      touched.set(c.roleId, entry);
    }
  }
  for (const [roleId, change] of touched) {
    await recordAuditEvent(tx, actor, {
      action: "matrix.changed",
      target: { type: "job-role", id: roleId },
      summary: { systemId: input.systemId, role: roleCode.get(roleId), added: change.added.sort(), removed: change.removed.sort() },
      reason: input.reason,
      basis: opts.basis,
    });
  }
  return { added: added.length, removed: removed.length };
}
