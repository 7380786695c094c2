import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan, can, systemsScope } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { eligiblePeople } from "@/lib/requests/approvers";
import { dayIn, zonedMidnight } from "@/lib/time/calendar";
import { isoDay } from "@/lib/time/calendar-input";
import { formatDefinitionNumber, RetireDefinitionInput, ReviewDefinitionInput } from "./schemas";
import { startCampaign } from "./start-campaign";
import { scopeSystemIds } from "./decide";

/**
 * Whether the actor may run reviews over this scope: security officers over anything; account
 * administrators over their own systems only, so their scope must name systems and only theirs.
 */
export function assertMayReview(actor: Actor, systemIds: readonly string[]): void {
  assertCan(actor, "reviews:manage");
  const mine = systemsScope(actor);
  if (mine === null && can(actor, "reviews:quality")) return;
  if (actor.kind === "system") return;
  if (systemIds.length === 0) throw new DomainError("REVIEW_SCOPE_FORBIDDEN", { field: "scope.systemIds" });
  for (const id of systemIds)
    if (!can(actor, "reviews:manage", { systemId: id })) throw new DomainError("REVIEW_SCOPE_FORBIDDEN", { field: "scope.systemIds" });
}

/**
 * Defines a review (issue 12 §1). Checks what the schema cannot: the systems exist, are active and are
 * the author's; the org unit exists; named reviewers are eligible people; the first start is not in
 * the past. A start of today starts the first campaign at once in the same transaction (so an empty
 * scope refuses the whole definition); a later day waits for the schedule job. Returns ids.
 */
export async function defineReview(tx: Tx, actor: Actor, raw: z.input<typeof ReviewDefinitionInput>, now = new Date()) {
  const input = ReviewDefinitionInput.parse(raw);
  assertMayReview(actor, input.scope.systemIds);
  if (input.scope.systemIds.length) {
    const found = await tx.businessSystem.count({ where: { id: { in: input.scope.systemIds }, isActive: true } });
    if (found !== new Set(input.scope.systemIds).size) throw new DomainError("NOT_FOUND", { field: "scope.systemIds" });
  }
  if (input.scope.orgUnitId) {
    const unit = await tx.orgUnit.findUnique({ where: { id: input.scope.orgUnitId }, select: { isActive: true } });
    if (!unit?.isActive) throw new DomainError("NOT_FOUND", { field: "scope.orgUnitId" });
  }
  for (const [i, stage] of input.stages.entries()) {
    if (stage.strategy !== "NAMED") continue;
    const eligible = await eligiblePeople(tx, stage.reviewerIds);
    if (stage.reviewerIds.some((id) => !eligible.has(id)))
      throw new DomainError("REVIEWER_NOT_ELIGIBLE", { field: `stages.${i}.reviewerIds` });
  }
  return createReview(tx, actor, input, now);
}

/**
 * Writes a validated definition (and starts its first campaign when it starts today). The caller has
 * authorized it: defineReview for the reviews' managers, or a use case that starts a review as part of
 * its own change (a mover's review, issue 11 §2).
 */
export async function createReview(tx: Tx, actor: Actor, input: ReviewDefinitionInput, now: Date) {
  const today = dayIn(now);
  const startDay = isoDay(input.startOn) ?? today;
  if (startDay < today) throw new DomainError("DATE_IN_PAST", { field: "startOn" });

  const created = await tx.reviewDefinition.create({
    data: {
      name: input.name,
      description: input.description ?? null,
      scope: input.scope,
      granularity: input.granularity,
      stages: input.stages,
      schedule: input.schedule,
      durationDays: input.durationDays,
      nextStartAt: startDay === today ? null : zonedMidnight(startDay),
      defaultDecision: input.defaultDecision,
      riskyDefault: input.riskyDefault,
      applyImmediately: input.applyImmediately,
      inactiveDays: input.inactiveDays,
      contractEndDays: input.contractEndDays,
      remindDaysBefore: input.remindDaysBefore,
      escalateAfterDays: input.escalateAfterDays ?? null,
      createdById: actor.kind === "person" ? actor.personId : null,
    },
    select: { id: true, number: true },
  });
  await recordAuditEvent(tx, actor, {
    action: "review.defined",
    target: { type: "review-definition", id: created.id },
    summary: {
      number: formatDefinitionNumber(created.number),
      name: input.name,
      scope: input.scope,
      granularity: input.granularity,
      stages: input.stages.map((s) => s.strategy),
      schedule: input.schedule,
      durationDays: input.durationDays,
      startOn: startDay,
      defaultDecision: input.defaultDecision,
      riskyDefault: input.riskyDefault,
      applyImmediately: input.applyImmediately,
    },
  });
  const campaign = startDay === today ? await startCampaign(tx, actor, created.id, now) : null;
  return { definitionId: created.id, number: created.number, campaign };
}

/** Starts another campaign of a definition now (e.g. an extra quarter), by its author's peers. */
export async function startCampaignNow(tx: Tx, actor: Actor, definitionId: string, now = new Date()) {
  const def = await tx.reviewDefinition.findUnique({ where: { id: definitionId }, select: { scope: true } });
  if (!def) throw new DomainError("NOT_FOUND", { field: "definitionId" });
  assertMayReview(actor, scopeSystemIds(def.scope));
  return startCampaign(tx, actor, definitionId, now);
}

/** A definition stops scheduling campaigns (never deleted: its campaigns are records, R12). */
export async function retireDefinition(tx: Tx, actor: Actor, raw: z.input<typeof RetireDefinitionInput>) {
  const input = RetireDefinitionInput.parse(raw);
  const [def] = await tx.$queryRaw<{ id: string; scope: unknown; is_active: boolean }[]>`
    SELECT id::text, scope, is_active FROM review_definition WHERE id = ${input.definitionId}::uuid FOR UPDATE`;
  if (!def) throw new DomainError("NOT_FOUND", { field: "definitionId" });
  assertMayReview(actor, scopeSystemIds(def.scope));
  if (!def.is_active) throw new DomainError("REVIEW_DEFINITION_RETIRED");
  await tx.reviewDefinition.update({ where: { id: def.id }, data: { isActive: false, nextStartAt: null }, select: { id: true } });
  await recordAuditEvent(tx, actor, {
    action: "review.definition-retired",
    target: { type: "review-definition", id: def.id },
    reason: input.reason,
  });
}
