import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { isSensitive } from "@/lib/policy/engine";
import type { Sensitivity } from "@/lib/generated/prisma/enums";
import { DomainError } from "@/lib/errors";
import { ChangeMatrixInput } from "@/lib/systems/schemas";
import { getClassificationSettings } from "@/lib/settings/classification";
import { getRequestSettings } from "@/lib/policy/request-settings";
import { chainFor } from "./chain";
import { resolveStageApprovers } from "./approvers";
import { activateStage, auditRequest, REQUEST_SELECT } from "./workflow";

export type MatrixCell = { roleId: string; permissionId: string; role: string; permission: string };
export type MatrixChangeSet = { add: MatrixCell[]; remove: MatrixCell[] };

/** The change set stored on a MATRIX_CHANGE request, or null when unreadable. */
export function parseMatrixChange(json: unknown): MatrixChangeSet | null {
  if (!json || typeof json !== "object") return null;
  const v = json as Partial<MatrixChangeSet>;
  const ok = (cells: unknown): cells is MatrixCell[] =>
    Array.isArray(cells) &&
    cells.every(
      (c) =>
        c && typeof c === "object" && typeof (c as MatrixCell).roleId === "string" && typeof (c as MatrixCell).permissionId === "string",
    );
  return ok(v.add) && ok(v.remove) ? { add: v.add, remove: v.remove } : null;
}

/**
 * A role-permission matrix change that gives permissions (R8: leaders approve matrix changes): the
 * system's account administrators propose it, the leader of the system's owning department approves it
 * (routed up when that is the proposer), and the final approval applies it with the request as basis.
 * The cells are checked now (roles and permissions of this system, added permissions active); nothing
 * changes in the matrix until the approval.
 */
export async function submitMatrixChange(tx: Tx, actor: Actor, raw: z.input<typeof ChangeMatrixInput>, now = new Date()) {
  const input = ChangeMatrixInput.parse(raw);
  if (actor.kind !== "person") throw new DomainError("FORBIDDEN", { params: { permission: "catalog:manage" } });
  assertCan(actor, "catalog:manage", { systemId: input.systemId });
  if (!input.add.length && !input.remove.length) throw new DomainError("VALIDATION", { field: "add" });
  const system = await tx.businessSystem.findUnique({ where: { id: input.systemId }, select: { id: true, isActive: true } });
  if (!system?.isActive) throw new DomainError("NOT_FOUND", { field: "systemId" });

  const cells = [...input.add, ...input.remove];
  const roleIds = [...new Set(cells.map((c) => c.roleId))];
  const permissionIds = [...new Set(cells.map((c) => c.permissionId))];
  const roles = await tx.jobRole.findMany({
    where: { id: { in: roleIds }, systemId: system.id },
    select: { id: true, code: true, isAdministrative: true },
  });
  const permissions = await tx.permission.findMany({
    where: { id: { in: permissionIds }, systemId: system.id },
    select: { id: true, code: true, isActive: true, sensitivity: true },
  });
  if (roles.length !== roleIds.length || permissions.length !== permissionIds.length) throw new DomainError("NOT_FOUND");
  const permissionOf = new Map(permissions.map((p) => [p.id, p]));
  const roleOf = new Map(roles.map((r) => [r.id, r]));
  if (input.add.some((c) => !permissionOf.get(c.permissionId)!.isActive)) throw new DomainError("CONFLICT");

  const levels = (await getClassificationSettings(tx)).sensitiveLevels as Sensitivity[];
  const describe = (c: { roleId: string; permissionId: string }): MatrixCell => ({
    ...c,
    role: roleOf.get(c.roleId)!.code,
    permission: permissionOf.get(c.permissionId)!.code,
  });
  const change: MatrixChangeSet = { add: input.add.map(describe), remove: input.remove.map(describe) };
  const settings = await getRequestSettings(tx);
  const flags = {
    isSensitive: input.add.some((c) => isSensitive(permissionOf.get(c.permissionId)!, levels)),
    isAdministrative: input.add.some((c) => roleOf.get(c.roleId)!.isAdministrative),
  };
  const created = await tx.accessRequest.create({
    data: {
      kind: "MATRIX_CHANGE",
      requesterId: actor.personId,
      subjectId: actor.personId,
      systemId: system.id,
      justification: input.reason,
      matrixChange: change,
      ...flags,
      expiresAt: new Date(now.getTime() + settings.expireAfterDays * 86_400_000),
      createdAt: now,
    },
    select: { id: true },
  });
  const stages = chainFor({ kind: "MATRIX_CHANGE", ...flags }, null);
  await tx.requestStage.createMany({
    data: stages.map((s, position) => ({ requestId: created.id, position, kind: s.kind, rule: s.rule, requiredCount: 1 })),
  });
  const request = await tx.accessRequest.findUniqueOrThrow({ where: { id: created.id }, select: REQUEST_SELECT });
  const approverIds = await activateStage(tx, request, request.stages[0]!, now);
  for (const stage of request.stages.slice(1)) {
    const context = {
      requesterId: request.requesterId,
      subject: { id: request.subject.id, orgUnitId: request.subject.orgUnitId, sponsorId: request.subject.sponsorId },
      system: { id: request.system.id, ownerOrgId: request.system.ownerOrgId },
    };
    if (!(await resolveStageApprovers(tx, stage, context, now)).length)
      throw new DomainError("REQUEST_NO_APPROVER", { params: { stage: stage.kind } });
  }
  await auditRequest(
    tx,
    actor,
    request,
    "request.submitted",
    {
      after: {
        ...flags,
        add: change.add.map((c) => `${c.role}:${c.permission}`),
        remove: change.remove.map((c) => `${c.role}:${c.permission}`),
        stages: stages.map((s) => s.kind),
        approverIds,
      },
    },
    input.reason,
  );
  return { id: request.id, number: request.number };
}
