import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { enqueueProvisioning } from "@/lib/provisioning/enqueue";
import { loadRole } from "@/lib/policy/context";
import { createGrantUnderPolicy } from "@/lib/grants/create-grant";
import { applyMatrixChange } from "@/lib/systems/change-role-matrix";
import { parseMatrixChange } from "./submit-matrix-change";
import { checkGrant } from "@/lib/policy/check-grant";
import { activateStage, auditRequest, notifyAbout, requestBasis, type LoadedRequest } from "./workflow";

export type FinalOutcome = { status: "APPROVED"; grantId: string | null } | { status: "PENDING"; addedStage: "SECURITY" };

/**
 * The last stage approved: the policy engine and the duration rules run again on today's facts (a
 * violation refuses the approval, nothing written; the approver can reject instead). The limits count
 * from today, so only tightened settings, a shortened contract or an end already passed can refuse
 * what submission allowed. Then the grant is created — the slave account too if missing, the request's end date, the request as its basis, the
 * outbox row for a connected system — or, for a renewal, the live grant's end is extended. One
 * transaction with the decision that triggered it.
 *
 * If the role became sensitive or administrative after submission and the chain had no security stage,
 * one is added and activated instead (R8 holds whatever happened in between).
 */
export async function finalizeApproval(tx: Tx, actor: Actor, request: LoadedRequest, now: Date): Promise<FinalOutcome> {
  if (request.kind === "MATRIX_CHANGE") return applyApprovedMatrixChange(tx, actor, request, now);
  if (!request.roleId) throw new DomainError("NOT_FOUND", { field: "roleId" });
  const role = await loadRole(tx, request.roleId);
  if (!role || !role.isActive || !role.system.isActive) throw new DomainError("NOT_FOUND", { field: "roleId" });
  const elevation = request.kind === "ELEVATION";

  // Today's classification of the role (its matrix or the classification setting may have changed).
  const {
    violations,
    isSensitive,
    isAdministrative,
    duration: problem,
  } = await checkGrant(tx, { person: request.subjectId, role, endsAt: request.endsAt, kind: elevation ? "ELEVATION" : "GRANT" }, now);
  if ((isSensitive || isAdministrative) && !request.stages.some((s) => s.kind === "SECURITY")) {
    const position = request.stages.length;
    const stage = await tx.requestStage.create({
      data: { requestId: request.id, position, kind: "SECURITY", rule: "ANY", requiredCount: 1 },
      select: {
        id: true,
        position: true,
        kind: true,
        rule: true,
        requiredCount: true,
        namedApproverIds: true,
        status: true,
        decidedAt: true,
      },
    });
    await tx.accessRequest.update({ where: { id: request.id }, data: { isSensitive, isAdministrative } });
    await activateStage(tx, request, stage, now);
    await auditRequest(tx, actor, request, "request.security-stage-added", { after: { isSensitive, isAdministrative, stage: position } });
    return { status: "PENDING", addedStage: "SECURITY" };
  }

  if (problem) {
    if (problem.code === "DATE_IN_PAST") throw new DomainError("REQUEST_END_PASSED", { params: { date: request.endsAt!.toISOString() } });
    throw new DomainError(problem.code, { field: problem.field, params: problem.params });
  }

  const basis = requestBasis(request.number);
  let grantId: string | null = null;
  if (request.renewsGrantId && violations.length)
    throw new DomainError("POLICY_VIOLATION", { details: violations, params: { count: violations.length } });
  const renewed = request.renewsGrantId ? await renewGrant(tx, actor, request, basis, now) : null;
  if (!renewed) {
    // A new grant (also when the grant a renewal named ended meanwhile): the engine runs again inside.
    const grant = await createGrantUnderPolicy(
      tx,
      actor,
      { personId: request.subjectId, roleId: role.id, endsAt: request.endsAt, reason: request.justification, basis },
      { requestId: request.id, elevation, role },
      now,
    );
    grantId = grant.id;
  }

  await tx.accessRequest.update({ where: { id: request.id }, data: { status: "APPROVED", decidedAt: now, grantId } });
  await notifyAbout(tx, request, "request-approved", [request.requesterId, request.subjectId]);
  await auditRequest(tx, actor, request, "request.approved", {
    after: {
      status: "APPROVED",
      grantId: grantId ?? renewed,
      endsAt: request.endsAt?.toISOString() ?? null,
      ...(renewed ? { renewedGrantId: renewed } : {}),
    },
  });
  return { status: "APPROVED", grantId: (grantId ?? renewed)! };
}

/**
 * A renewal extends the live grant it names to the request's end (same grant row, so the history stays
 * one line). Returns the grant id, or null when that grant is no longer live (a new one is created).
 */
async function renewGrant(tx: Tx, actor: Actor, request: LoadedRequest, basis: string, now: Date): Promise<string | null> {
  const rows = await tx.$queryRaw<
    { id: string }[]
  >`SELECT id::text AS id FROM access_grant WHERE id = ${request.renewsGrantId}::uuid FOR UPDATE`;
  if (!rows.length) return null;
  const grant = await tx.accessGrant.findUniqueOrThrow({
    where: { id: request.renewsGrantId! },
    select: {
      id: true,
      roleId: true,
      endsAt: true,
      revokedAt: true,
      slaveAccountId: true,
      slaveAccount: { select: { personId: true, systemId: true } },
    },
  });
  const live = !grant.revokedAt && (!grant.endsAt || grant.endsAt > now);
  if (!live || grant.roleId !== request.roleId || grant.slaveAccount.personId !== request.subjectId) return null;
  await tx.accessGrant.update({ where: { id: grant.id }, data: { endsAt: request.endsAt, expiryNotice: null } });
  await recordAuditEvent(tx, actor, {
    action: "grant.renewed",
    target: { type: "grant", id: grant.id },
    summary: {
      before: { endsAt: grant.endsAt?.toISOString() ?? null },
      after: { endsAt: request.endsAt?.toISOString() ?? null, requestId: request.id },
      personId: request.subjectId,
      systemId: grant.slaveAccount.systemId,
      roleId: grant.roleId,
    },
    reason: request.justification,
    basis,
  });
  await enqueueProvisioning(tx, [
    {
      systemId: grant.slaveAccount.systemId,
      operation: "grant.updated",
      payload: {
        grantId: grant.id,
        slaveAccountId: grant.slaveAccountId,
        personId: request.subjectId,
        roleId: grant.roleId,
        endsAt: request.endsAt?.toISOString() ?? null,
      },
      grantId: grant.id,
      slaveAccountId: grant.slaveAccountId,
      requestId: request.id,
      nextAttemptAt: now,
    },
  ]);
  return grant.id;
}

/** A MATRIX_CHANGE request approved by the owning department's leader: the change set is applied now. */
async function applyApprovedMatrixChange(tx: Tx, actor: Actor, request: LoadedRequest, now: Date): Promise<FinalOutcome> {
  const row = await tx.accessRequest.findUniqueOrThrow({ where: { id: request.id }, select: { matrixChange: true } });
  const change = parseMatrixChange(row.matrixChange);
  if (!change) throw new DomainError("CONFLICT");
  const cell = (c: { roleId: string; permissionId: string }) => ({ roleId: c.roleId, permissionId: c.permissionId });
  const applied = await applyMatrixChange(
    tx,
    actor,
    { systemId: request.systemId, add: change.add.map(cell), remove: change.remove.map(cell), reason: request.justification },
    { basis: requestBasis(request.number) },
  );
  await tx.accessRequest.update({ where: { id: request.id }, data: { status: "APPROVED", decidedAt: now } });
  await notifyAbout(tx, request, "request-approved", [request.requesterId]);
  await auditRequest(tx, actor, request, "request.approved", {
    after: { status: "APPROVED", added: applied.added, removed: applied.removed },
  });
  return { status: "APPROVED", grantId: null };
}
