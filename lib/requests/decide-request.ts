import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { DomainError } from "@/lib/errors";
import { isUniqueViolation } from "@/lib/db-errors";
import { DecideRequestInput } from "./schemas";
import { stageOutcome } from "./chain";
import { finalizeApproval } from "./finalize-approval";
import { activateStage, auditRequest, closeApprovers, lockRequest, notifyAbout, type LoadedRequest } from "./workflow";

export type DecisionResult = {
  requestId: string;
  // The request's status after the decision.
  status: "PENDING" | "APPROVED" | "REJECTED";
  outcome: "APPROVE" | "REJECT";
  // True when the same person had already made this same decision (a double submission): nothing changed.
  repeated: boolean;
  grantId?: string | null;
};

type Options = { bulk?: boolean };

/** Who decided the stage (or the request) and when: for "already decided by X at T". */
async function decidedBy(tx: Tx, where: { requestId: string; stageId?: string; outcome?: "APPROVE" | "REJECT"; approverId?: string }) {
  const d = await tx.approvalDecision.findFirst({
    where: {
      requestId: where.requestId,
      ...(where.stageId ? { stageId: where.stageId } : {}),
      ...(where.outcome ? { outcome: where.outcome } : {}),
      ...(where.approverId ? { approverId: where.approverId } : {}),
    },
    orderBy: { createdAt: "desc" },
    select: { createdAt: true, approver: { select: { name: true, employeeNo: true } } },
  });
  // `when` in epoch milliseconds: the message formats it ({when, date, medium}) in the reader's language.
  return { who: d ? `${d.approver.name} (${d.approver.employeeNo})` : "-", when: (d?.createdAt ?? new Date(0)).getTime() };
}

async function alreadyDecided(tx: Tx, request: LoadedRequest, stageId?: string): Promise<never> {
  const outcome = request.status === "REJECTED" ? "REJECT" : request.status === "APPROVED" ? "APPROVE" : undefined;
  throw new DomainError("REQUEST_ALREADY_DECIDED", { params: await decidedBy(tx, { requestId: request.id, stageId, outcome }) });
}

/**
 * An approver's decision on the active stage of a request. The request row is locked, so two approvers
 * acting at once take turns: the first decides, the second is told who decided and when. The same
 * person submitting the same decision twice gets the first one back (no second row). When the stage's
 * rule is met the next stage activates (its approvers resolved now and told), or, after the last one,
 * the final approval creates the grant (lib/requests/finalize-approval.ts). Any rejection ends the
 * request. Every step is audited in this transaction.
 */
export async function decideRequest(
  tx: Tx,
  actor: Actor,
  raw: z.input<typeof DecideRequestInput>,
  now = new Date(),
  opts: Options = {},
): Promise<DecisionResult> {
  const input = DecideRequestInput.parse(raw);
  if (actor.kind !== "person") throw new DomainError("FORBIDDEN", { params: { permission: "requests:decide" } });
  const me = actor.personId;
  const request = await lockRequest(tx, input.requestId);
  if (!request) throw new DomainError("NOT_FOUND", { field: "requestId" });
  // The caller's right first: only someone who was ever asked to decide it (or whose request it is)
  // learns its state, who decided it and when (issue 9 §4).
  const isParty =
    request.requesterId === me ||
    request.subjectId === me ||
    (await tx.stageApprover.findFirst({ where: { requestId: request.id, approverId: me }, select: { id: true } })) !== null;
  if (!isParty) throw new DomainError("NOT_AN_APPROVER");

  if (request.status === "CANCELLED" || request.status === "EXPIRED")
    throw new DomainError("REQUEST_CLOSED", { params: { status: request.status } });
  const active = request.stages.find((s) => s.status === "ACTIVE") ?? null;
  const repeat = (): DecisionResult => ({
    requestId: request.id,
    status: request.status as "PENDING" | "APPROVED" | "REJECTED",
    outcome: input.outcome,
    repeated: true,
  });

  // The form names the stage it showed: if the request has moved on, this is a repeat or too late.
  if (input.stageId && input.stageId !== active?.id) {
    const mineThere = await tx.approvalDecision.findUnique({
      where: { stageId_approverId: { stageId: input.stageId, approverId: me } },
      select: { outcome: true },
    });
    if (mineThere?.outcome === input.outcome) return repeat();
    return alreadyDecided(tx, request, input.stageId);
  }
  const seat = active
    ? await tx.stageApprover.findUnique({
        where: { stageId_approverId: { stageId: active.id, approverId: me } },
        select: { id: true, isOpen: true, onBehalfOfId: true },
      })
    : null;
  if (!seat?.isOpen) {
    // Nothing open for this person: the same decision again is a double submission.
    const mine = await tx.approvalDecision.findFirst({
      where: { requestId: request.id, approverId: me },
      orderBy: { createdAt: "desc" },
      select: { outcome: true },
    });
    if (mine?.outcome === input.outcome) return repeat();
  }
  if (request.status !== "PENDING") return alreadyDecided(tx, request);
  if (!active) throw new DomainError("REQUEST_CLOSED", { params: { status: request.status } });
  if (request.requesterId === me || request.subjectId === me) throw new DomainError("SELF_APPROVAL");

  if (!seat) {
    // An approver of an earlier stage that someone else already completed.
    const earlier = await tx.stageApprover.findFirst({ where: { requestId: request.id, approverId: me }, select: { stageId: true } });
    if (earlier) return alreadyDecided(tx, request, earlier.stageId);
    throw new DomainError("NOT_AN_APPROVER");
  }
  if (!seat.isOpen) {
    // Closed without a decision of theirs: the seat was taken away while the stage stayed open (the
    // delegation it came from was revoked or ended). Closed with one: they decided otherwise before.
    const mineHere = await tx.approvalDecision.findUnique({
      where: { stageId_approverId: { stageId: active.id, approverId: me } },
      select: { id: true },
    });
    if (!mineHere) throw new DomainError("NO_LONGER_AN_APPROVER");
    throw new DomainError("REQUEST_ALREADY_DECIDED", {
      params: await decidedBy(tx, { requestId: request.id, stageId: active.id, approverId: me }),
    });
  }
  if (opts.bulk && (request.isSensitive || request.isAdministrative || request.kind !== "GRANT")) {
    throw new DomainError("REQUEST_NOT_BULK_APPROVABLE", { params: { number: request.number } });
  }

  await tx.approvalDecision
    .create({
      data: {
        requestId: request.id,
        stageId: active.id,
        approverId: me,
        onBehalfOfId: seat.onBehalfOfId,
        outcome: input.outcome,
        comment: input.comment ?? null,
        createdAt: now,
      },
    })
    .catch((error: unknown) => {
      if (isUniqueViolation(error))
        throw new DomainError("REQUEST_ALREADY_DECIDED", { params: { who: `${actor.name} (${actor.employeeNo})`, when: now.getTime() } });
      throw error;
    });
  await tx.stageApprover.update({ where: { id: seat.id }, data: { isOpen: false } });
  await auditRequest(
    tx,
    actor,
    request,
    "request.decision-recorded",
    { stage: active.position, stageKind: active.kind, outcome: input.outcome, onBehalfOfId: seat.onBehalfOfId },
    input.comment,
  );

  if (input.outcome === "REJECT") {
    await tx.requestStage.update({ where: { id: active.id }, data: { status: "REJECTED", decidedAt: now } });
    await tx.requestStage.updateMany({ where: { requestId: request.id, status: "WAITING" }, data: { status: "CANCELLED" } });
    await closeApprovers(tx, request.id);
    await tx.accessRequest.update({
      where: { id: request.id },
      data: { status: "REJECTED", decidedAt: now, closingNote: input.comment ?? null },
    });
    await notifyAbout(tx, request, "request-rejected", [request.requesterId, request.subjectId], { comment: input.comment ?? "" });
    await auditRequest(tx, actor, request, "request.rejected", { after: { status: "REJECTED" }, stage: active.position }, input.comment);
    return { requestId: request.id, status: "REJECTED", outcome: "REJECT", repeated: false, grantId: null };
  }

  const approvers = await tx.stageApprover.findMany({
    where: { stageId: active.id },
    select: { approverId: true, onBehalfOfId: true, source: true },
  });
  const decisions = await tx.approvalDecision.findMany({
    where: { stageId: active.id },
    select: { approverId: true, onBehalfOfId: true, outcome: true },
  });
  if (stageOutcome(active, approvers, decisions) !== "APPROVED") {
    return { requestId: request.id, status: "PENDING", outcome: "APPROVE", repeated: false, grantId: null };
  }

  await tx.requestStage.update({ where: { id: active.id }, data: { status: "APPROVED", decidedAt: now } });
  await closeApprovers(tx, request.id, active.id);
  await auditRequest(tx, actor, request, "request.stage-approved", { stage: active.position, stageKind: active.kind });
  const next = request.stages.find((s) => s.position > active.position && s.status === "WAITING");
  if (next) {
    await activateStage(tx, request, next, now);
    return { requestId: request.id, status: "PENDING", outcome: "APPROVE", repeated: false, grantId: null };
  }
  const final = await finalizeApproval(tx, actor, request, now);
  return final.status === "APPROVED"
    ? { requestId: request.id, status: "APPROVED", outcome: "APPROVE", repeated: false, grantId: final.grantId }
    : { requestId: request.id, status: "PENDING", outcome: "APPROVE", repeated: false, grantId: null };
}
