import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { DomainError } from "@/lib/errors";
import { SubmitRequestInput } from "./schemas";
import { assessRequest } from "./assess-request";
import { resolveStageApprovers } from "./approvers";
import { activateStage, auditRequest, notifyAbout, REQUEST_SELECT } from "./workflow";

export type SubmittedRequest = { id: string; number: number; created: boolean };

/**
 * Asks for a job role for someone (oneself; people in one's scope for heads and approvers; anyone on
 * their systems for account administrators). Every check a grant would meet runs first — the policy
 * engine, the duration rules, duplicates — and refuses with the reason, writing nothing. Then the
 * request, its stages (from the system's chain or the default), the first stage's approvers (told at
 * once), and the audit row. The same idempotency key from the same requester returns the request it
 * already made: a double-clicked submit is one request.
 */
export async function submitRequest(
  tx: Tx,
  actor: Actor,
  raw: z.input<typeof SubmitRequestInput>,
  now = new Date(),
): Promise<SubmittedRequest> {
  const input = SubmitRequestInput.parse(raw);
  if (actor.kind !== "person") throw new DomainError("FORBIDDEN", { params: { permission: "self:request" } });

  if (input.idempotencyKey) {
    // Two submissions with one key wait for each other here; the second then finds the first.
    const lockKey = `access-request:${actor.personId}:${input.idempotencyKey}`;
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${lockKey}, 0))`;
    const existing = await tx.accessRequest.findUnique({
      where: { requesterId_idempotencyKey: { requesterId: actor.personId, idempotencyKey: input.idempotencyKey } },
      select: { id: true, number: true, subjectId: true, roleId: true },
    });
    if (existing) {
      if (existing.subjectId !== input.subjectId || existing.roleId !== input.roleId)
        throw new DomainError("CONFLICT", { field: "idempotencyKey" });
      return { id: existing.id, number: existing.number, created: false };
    }
  }

  // Submissions for one subject take turns, so "a pending request for this role exists" cannot be raced.
  const subjectRow = await tx.$queryRaw<
    { id: string }[]
  >`SELECT id::text AS id FROM person WHERE id = ${input.subjectId}::uuid FOR NO KEY UPDATE`;
  if (!subjectRow.length) throw new DomainError("NOT_FOUND", { field: "subjectId" });

  const assessment = await assessRequest(tx, actor, input, now);
  if (assessment.problems.length) throw assessment.problems[0]!;
  const { role, settings, stages } = assessment;

  const created = await tx.accessRequest.create({
    data: {
      kind: input.kind,
      requesterId: actor.personId,
      subjectId: input.subjectId,
      systemId: role.systemId,
      roleId: role.id,
      justification: input.justification,
      startsAt: now,
      endsAt: input.endsAt,
      isSensitive: assessment.isSensitive,
      isAdministrative: assessment.isAdministrative,
      renewsGrantId: assessment.renewsGrant?.id ?? null,
      idempotencyKey: input.idempotencyKey ?? null,
      expiresAt: new Date(now.getTime() + settings.expireAfterDays * 86_400_000),
      createdAt: now,
    },
    select: { id: true },
  });
  await tx.requestStage.createMany({
    data: stages.map((s, position) => ({
      requestId: created.id,
      position,
      kind: s.kind,
      rule: s.rule,
      requiredCount: s.rule === "N_OF_M" ? (s.requiredCount ?? 1) : 1,
      namedApproverIds: s.namedApproverIds ?? [],
    })),
  });
  const request = await tx.accessRequest.findUniqueOrThrow({ where: { id: created.id }, select: REQUEST_SELECT });

  // Later stages are resolved again when they activate (a head appointed meanwhile is honoured), but a
  // chain that already has a stage nobody may decide is refused now rather than stuck later.
  const context = {
    requesterId: request.requesterId,
    subject: { id: request.subject.id, orgUnitId: request.subject.orgUnitId, sponsorId: request.subject.sponsorId },
    system: { id: request.system.id, ownerOrgId: request.system.ownerOrgId },
  };
  const approverIds = await activateStage(tx, request, request.stages[0]!, now);
  for (const stage of request.stages.slice(1)) {
    if (!(await resolveStageApprovers(tx, stage, context, now)).length)
      throw new DomainError("REQUEST_NO_APPROVER", { params: { stage: stage.kind } });
  }
  if (request.subjectId !== request.requesterId) await notifyAbout(tx, request, "request-submitted", [request.subjectId]);

  await auditRequest(
    tx,
    actor,
    request,
    "request.submitted",
    {
      after: {
        endsAt: input.endsAt?.toISOString() ?? null,
        isSensitive: assessment.isSensitive,
        isAdministrative: assessment.isAdministrative,
        stages: stages.map((s) => s.kind),
        approverIds,
        ...(assessment.renewsGrant ? { renewsGrantId: assessment.renewsGrant.id } : {}),
      },
    },
    input.justification,
  );
  return { id: request.id, number: request.number, created: true };
}
