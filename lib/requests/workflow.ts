import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import type { Prisma } from "@/lib/generated/prisma/client";
import { DomainError } from "@/lib/errors";
import { notify } from "@/lib/notifications/notify";
import type { NotificationKind } from "@/lib/notifications/kinds";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { AuditAction } from "@/lib/audit/events";
import { resolveStageApprovers } from "./approvers";

// The steps submit, decide, cancel and bulk approval share: loading a request under a row lock,
// activating a stage, notifying and auditing with the same parameters everywhere.

/** REQ-000123: the number people quote. */
export function formatRequestNumber(n: number): string {
  return `REQ-${String(n).padStart(6, "0")}`;
}

/** What a grant created or renewed by a request names as its basis (R13). */
export function requestBasis(n: number): string {
  return `request:${formatRequestNumber(n)}`;
}

export const REQUEST_SELECT = {
  id: true,
  number: true,
  kind: true,
  status: true,
  requesterId: true,
  subjectId: true,
  systemId: true,
  roleId: true,
  justification: true,
  endsAt: true,
  isSensitive: true,
  isAdministrative: true,
  renewsGrantId: true,
  currentStage: true,
  createdAt: true,
  decidedAt: true,
  expiresAt: true,
  requester: { select: { id: true, name: true, employeeNo: true } },
  subject: {
    select: { id: true, name: true, employeeNo: true, orgUnitId: true, sponsorId: true, employmentType: true, contractEndsOn: true },
  },
  system: { select: { id: true, name: true, ownerOrgId: true, isConnected: true } },
  role: { select: { id: true, name: true } },
  stages: {
    orderBy: { position: "asc" },
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
  },
} as const satisfies Prisma.AccessRequestSelect;

export type LoadedRequest = Prisma.AccessRequestGetPayload<{ select: typeof REQUEST_SELECT }>;
export type LoadedStage = LoadedRequest["stages"][number];

/** The request, locked for the rest of the transaction: decisions on one request happen one at a time. */
export async function lockRequest(tx: Tx, requestId: string): Promise<LoadedRequest | null> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM access_request WHERE id = ${requestId}::uuid FOR UPDATE`;
  if (!locked.length) return null;
  return tx.accessRequest.findUnique({ where: { id: requestId }, select: REQUEST_SELECT });
}

export function notificationParams(request: LoadedRequest, extra: Record<string, string | number> = {}): Record<string, string | number> {
  return {
    number: formatRequestNumber(request.number),
    kind: request.kind,
    role: request.role?.name ?? "",
    system: request.system.name,
    subject: request.subject.name,
    requester: request.requester.name,
    ...extra,
  };
}

export async function notifyAbout(
  tx: Tx,
  request: LoadedRequest,
  kind: NotificationKind,
  recipientIds: readonly string[],
  extra: Record<string, string | number> = {},
) {
  await notify(tx, { recipientIds, kind, params: notificationParams(request, extra), link: `/requests/${request.id}` });
}

export async function auditRequest(
  tx: Tx,
  actor: Actor,
  request: LoadedRequest,
  action: AuditAction,
  summary: Record<string, unknown> = {},
  reason?: string | null,
) {
  await recordAuditEvent(tx, actor, {
    action,
    target: { type: "request", id: request.id },
    summary: {
      number: formatRequestNumber(request.number),
      kind: request.kind,
      subjectId: request.subjectId,
      systemId: request.systemId,
      roleId: request.roleId,
      ...summary,
    },
    reason: reason ?? null,
    basis: formatRequestNumber(request.number),
  });
}

/**
 * Resolves the stage's approvers now (never the requester, the subject, or someone who decided an
 * earlier stage of this request), writes them (open), marks the stage ACTIVE and tells them. No
 * eligible approver → REQUEST_NO_APPROVER, and the caller's transaction rolls back.
 */
export async function activateStage(tx: Tx, request: LoadedRequest, stage: LoadedStage, now: Date): Promise<string[]> {
  const deciders = await tx.approvalDecision.findMany({ where: { requestId: request.id }, select: { approverId: true } });
  const picks = await resolveStageApprovers(
    tx,
    stage,
    {
      requesterId: request.requesterId,
      subject: { id: request.subject.id, orgUnitId: request.subject.orgUnitId, sponsorId: request.subject.sponsorId },
      system: { id: request.system.id, ownerOrgId: request.system.ownerOrgId },
      alreadyDecided: deciders.map((d) => d.approverId),
      laterStages: request.stages.filter((s) => s.position > stage.position).map((s) => s.kind),
    },
    now,
  );
  if (!picks.length) throw new DomainError("REQUEST_NO_APPROVER", { params: { stage: stage.kind } });
  await tx.stageApprover.createMany({
    data: picks.map((p) => ({
      stageId: stage.id,
      requestId: request.id,
      approverId: p.approverId,
      onBehalfOfId: p.onBehalfOfId,
      delegationId: p.delegationId,
      source: p.source,
      isOpen: true,
      requestCreatedAt: request.createdAt,
    })),
  });
  const principals = picks.filter((p) => p.source !== "DELEGATED").length;
  await tx.requestStage.update({
    where: { id: stage.id },
    data: { status: "ACTIVE", activatedAt: now, ...(stage.rule === "ALL" ? { requiredCount: principals } : {}) },
  });
  await tx.accessRequest.update({ where: { id: request.id }, data: { currentStage: stage.position } });
  const approverIds = picks.map((p) => p.approverId);
  await notifyAbout(tx, request, "request-awaiting-decision", approverIds);
  return approverIds;
}

/** Closes every open approver row of the request (or of one stage). */
export async function closeApprovers(tx: Tx, requestId: string, stageId?: string) {
  await tx.stageApprover.updateMany({ where: { requestId, isOpen: true, ...(stageId ? { stageId } : {}) }, data: { isOpen: false } });
}
