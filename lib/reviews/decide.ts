import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor, PersonActor } from "@/lib/authz/actor";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ReviewDecision, ReviewDecisionSource } from "@/lib/generated/prisma/enums";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent, recordBulkAuditEvent } from "@/lib/audit/record-audit-event";
import { eligiblePeople } from "@/lib/requests/approvers";
import { dayIn, endOfDay } from "@/lib/time/calendar";
import { isoDay } from "@/lib/time/calendar-input";
import { pickReviewer, reviewerCtes, reviewerJoins } from "./reviewers";
import { applyItems } from "./apply";
import { BulkDecideItemsInput, CampaignSettings, DecideItemInput, formatCampaignNumber } from "./schemas";

// Deciding review items (issue 12 §4). Lock order everywhere in lib/reviews: the campaign row (FOR SHARE
// to decide, FOR UPDATE to close), then items in id order, then grants (apply), audit rows last. So a
// decision and the deadline's close never interleave: one waits for the other and then sees its result.

export type LockedCampaign = { id: string; number: number; status: "ACTIVE" | "CLOSED"; settings: CampaignSettings };

export async function lockCampaign(tx: Tx, campaignId: string, mode: "share" | "update"): Promise<LockedCampaign> {
  const campaign = await lockCampaignIfFree(tx, campaignId, mode, false);
  if (!campaign) throw new DomainError("NOT_FOUND", { field: "campaignId" });
  return campaign;
}

/** As lockCampaign; with `skipLocked`, null instead of waiting when the row is locked against it (a close running). */
export async function lockCampaignIfFree(
  tx: Tx,
  campaignId: string,
  mode: "share" | "update",
  skipLocked = true,
): Promise<LockedCampaign | null> {
  const lock = mode === "share" ? Prisma.sql`FOR SHARE` : Prisma.sql`FOR UPDATE`;
  const skip = skipLocked ? Prisma.sql`SKIP LOCKED` : Prisma.empty;
  const [row] = await tx.$queryRaw<{ id: string; number: number; status: "ACTIVE" | "CLOSED"; settings: unknown }[]>`
    SELECT id::text, number, status::text, settings FROM review_campaign WHERE id = ${campaignId}::uuid ${lock} ${skip}`;
  return row ? { ...row, settings: CampaignSettings.parse(row.settings) } : null;
}

/** The systems a campaign's or definition's scope names (JSON as stored; none = every system). */
export function scopeSystemIds(scope: unknown): string[] {
  const ids = (scope as { systemIds?: unknown } | null)?.systemIds;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === "string") : [];
}

type ItemRow = {
  id: string;
  stage: number;
  status: "OPEN" | "DECIDED";
  reviewer_id: string | null;
  conflicted_ids: string[];
  is_sensitive: boolean;
  grant_id: string | null;
  recommendation: string | null;
  decided_by: string | null;
  decided_at: Date | null;
};

async function lockItems(tx: Tx, campaignId: string, ids: readonly string[]): Promise<ItemRow[]> {
  if (!ids.length) return [];
  return tx.$queryRaw<ItemRow[]>`
    SELECT i.id::text, i.stage, i.status::text, i.reviewer_id::text, i.conflicted_ids::text[] AS conflicted_ids, i.is_sensitive,
           i.grant_id::text, i.recommendation, d.name AS decided_by, i.decided_at
    FROM review_item i LEFT JOIN person d ON d.id = i.decided_by_id
    WHERE i.campaign_id = ${campaignId}::uuid AND i.id = ANY(${[...ids]}::uuid[])
    ORDER BY i.id FOR UPDATE OF i`;
}

/**
 * Whom the actor may decide for: themselves and everyone who delegated to them now (out of office).
 * A delegate is never allowed on an item they are conflicted on (checked per item by the caller).
 */
async function actingFor(tx: Tx, actor: PersonActor, now: Date): Promise<Map<string, string | null>> {
  const rows = await tx.approvalDelegation.findMany({
    where: { delegateId: actor.personId, revokedAt: null, startsAt: { lte: now }, endsAt: { gt: now } },
    select: { delegatorId: true },
  });
  const map = new Map<string, string | null>([[actor.personId, null]]);
  for (const r of rows) map.set(r.delegatorId, r.delegatorId);
  return map;
}

export type DecisionRow = {
  id: string;
  stage: number;
  decision: ReviewDecision;
  newEndsAt: Date | null;
  onBehalfOfId: string | null;
  spentMs: number | null;
};

/**
 * Records decisions on locked OPEN items, set-based: one review_item_decision per item and stage (the
 * unique key makes a double decision impossible), then items whose decision is final (END at any stage,
 * anything at the last stage, or a default) are DECIDED, the others move to their next stage with its
 * reviewer. Final END/SHORTEN items wait to be applied (PENDING) and are applied at once when the
 * campaign says so. Returns the ids that became final.
 */
export async function recordDecisions(
  tx: Tx,
  actor: Actor,
  campaign: LockedCampaign,
  rows: readonly DecisionRow[],
  opts: { comment: string | null; source: ReviewDecisionSource; now: Date; final?: boolean },
): Promise<{ finalIds: string[]; advanced: number }> {
  if (!rows.length) return { finalIds: [], advanced: 0 };
  const { now } = opts;
  const deciderId = actor.kind === "person" ? actor.personId : null;
  const last = campaign.settings.stages.length - 1;
  await tx.$executeRaw`
    INSERT INTO review_item_decision (id, item_id, campaign_id, stage, reviewer_id, on_behalf_of_id, decision, new_ends_at, comment, source, spent_ms, created_at)
    SELECT gen_random_uuid(), v.id, ${campaign.id}::uuid, v.stage, ${deciderId}::uuid, v.behalf, v.decision::"ReviewDecision", v.ends, ${opts.comment},
           ${opts.source}::"ReviewDecisionSource", v.spent, ${now}
    FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.stage)}::int[], ${rows.map((r) => r.onBehalfOfId)}::uuid[],
                ${rows.map((r) => r.decision)}::text[], ${rows.map((r) => r.newEndsAt)}::timestamptz[], ${rows.map((r) => r.spentMs)}::int[])
         AS v(id, stage, behalf, decision, ends, spent)`;
  const final = rows.filter((r) => opts.final || r.decision === "END" || r.stage >= last);
  const advancing = rows.filter((r) => !final.includes(r));
  if (final.length) {
    await tx.$executeRaw`
      UPDATE review_item i SET status = 'DECIDED', decision = v.decision::"ReviewDecision", new_ends_at = v.ends, comment = ${opts.comment},
             decided_by_id = ${deciderId}::uuid, decided_at = ${now}, decision_source = ${opts.source}::"ReviewDecisionSource",
             apply_state = CASE WHEN v.decision = 'KEEP' THEN 'NONE' ELSE 'PENDING' END::"ReviewApplyState"
      FROM unnest(${final.map((r) => r.id)}::uuid[], ${final.map((r) => r.decision)}::text[], ${final.map((r) => r.newEndsAt)}::timestamptz[]) AS v(id, decision, ends)
      WHERE i.id = v.id`;
  }
  for (let stage = 0; stage < last; stage++) {
    const ids = advancing.filter((r) => r.stage === stage).map((r) => r.id);
    if (ids.length) await assignStage(tx, campaign, ids, stage + 1, now);
  }
  const toApply = final.filter((r) => r.decision !== "KEEP").map((r) => r.id);
  if (toApply.length && campaign.settings.applyImmediately) await applyItems(tx, actor, campaign, toApply, now);
  return { finalIds: final.map((r) => r.id), advanced: advancing.length };
}

/** Moves items to a stage and gives each the reviewer that stage's strategy resolves (set-based). */
export async function assignStage(tx: Tx, campaign: LockedCampaign, itemIds: readonly string[], stage: number, now: Date) {
  const def = campaign.settings.stages[stage]!;
  const named = def.strategy === "NAMED" ? await eligiblePeople(tx, def.reviewerIds) : new Set<string>();
  const pick = pickReviewer(
    def,
    { personId: Prisma.sql`i.person_id`, sponsorId: Prisma.sql`p.sponsor_id`, conflicted: Prisma.sql`i.conflicted_ids` },
    def.reviewerIds.filter((id) => named.has(id)),
  );
  await tx.$executeRaw`
    WITH ${reviewerCtes()},
    picked AS (
      SELECT i.id, pick.reviewer_id, pick.reviewer_source, pick.routing
      FROM review_item i JOIN business_system bs ON bs.id = i.system_id LEFT JOIN person p ON p.id = i.person_id
      ${reviewerJoins({ unitId: Prisma.sql`p.org_unit_id`, systemId: Prisma.sql`i.system_id`, ownerOrgId: Prisma.sql`bs.owner_org_id` })}
      LEFT JOIN LATERAL (${pick}) pick ON true
      WHERE i.id = ANY(${[...itemIds]}::uuid[]))
    UPDATE review_item i SET stage = ${stage}, reviewer_id = picked.reviewer_id,
           reviewer_source = COALESCE(picked.reviewer_source, 'TOP_OF_TREE'), routing = picked.routing, reviewer_assigned_at = ${now}
    FROM picked WHERE i.id = picked.id`;
}

/** The form's render time → milliseconds spent, clamped to [0, one day]; null when absent or in the future. */
export function spentSince(shownAt: string | undefined | null, now: Date): number | null {
  if (!shownAt) return null;
  const t = Date.parse(shownAt);
  if (Number.isNaN(t) || t > now.getTime()) return null;
  return Math.min(now.getTime() - t, 86_400_000);
}

/**
 * A reviewer (or their delegate) decides one item: keep, end, or shorten to a new last day; a keep of
 * a sensitive item needs a comment. Refused with a clear code and nothing written: the campaign closed,
 * the item already decided (by whom, when: a second reviewer deciding at once gets this), not their
 * item, their own (or involved) access, a date that does not shorten.
 */
export async function decideItem(
  tx: Tx,
  actor: Actor,
  raw: z.input<typeof DecideItemInput> & { shownAt?: string | null },
  now = new Date(),
) {
  if (actor.kind !== "person") throw new DomainError("FORBIDDEN", { params: { permission: "self:review" } });
  const input = DecideItemInput.parse(raw);
  const ref = await tx.reviewItem.findUnique({ where: { id: input.itemId }, select: { campaignId: true } });
  if (!ref) throw new DomainError("NOT_FOUND", { field: "itemId" });
  const campaign = await lockCampaign(tx, ref.campaignId, "share");
  if (campaign.status !== "ACTIVE") throw new DomainError("REVIEW_CAMPAIGN_CLOSED");
  const [item] = await lockItems(tx, campaign.id, [input.itemId]);
  if (!item) throw new DomainError("NOT_FOUND", { field: "itemId" });
  if (item.status !== "OPEN")
    throw new DomainError("REVIEW_ITEM_DECIDED", { params: { by: item.decided_by ?? "-", at: item.decided_at?.toISOString() ?? "-" } });
  if (item.conflicted_ids.includes(actor.personId)) throw new DomainError("REVIEW_SELF");
  const forWhom = await actingFor(tx, actor, now);
  if (!item.reviewer_id || !forWhom.has(item.reviewer_id)) throw new DomainError("NOT_A_REVIEWER");
  if (input.decision === "KEEP" && item.is_sensitive && !input.comment)
    throw new DomainError("REVIEW_COMMENT_REQUIRED", { field: "comment" });

  let newEndsAt: Date | null = null;
  if (input.decision === "SHORTEN") {
    if (!item.grant_id) throw new DomainError("VALIDATION", { field: "decision" });
    const day = isoDay(input.newEndOn)!;
    if (day < dayIn(now)) throw new DomainError("DATE_IN_PAST", { field: "newEndOn" });
    newEndsAt = endOfDay(day);
    const grant = await tx.accessGrant.findUnique({ where: { id: item.grant_id }, select: { endsAt: true } });
    if (grant?.endsAt && grant.endsAt <= newEndsAt) throw new DomainError("REVIEW_END_NOT_SHORTER", { field: "newEndOn" });
  }
  const onBehalfOfId = forWhom.get(item.reviewer_id) ?? null;
  const result = await recordDecisions(
    tx,
    actor,
    campaign,
    [{ id: item.id, stage: item.stage, decision: input.decision, newEndsAt, onBehalfOfId, spentMs: spentSince(raw.shownAt, now) }],
    { comment: input.comment ?? null, source: "REVIEWER", now },
  );
  await recordAuditEvent(tx, actor, {
    action: "review.item-decided",
    target: { type: "review-item", id: item.id },
    summary: {
      campaign: formatCampaignNumber(campaign.number),
      campaignId: campaign.id,
      stage: item.stage + 1,
      decision: input.decision,
      ...(newEndsAt ? { newEndsAt: newEndsAt.toISOString() } : {}),
      final: result.finalIds.length === 1,
      ...(onBehalfOfId ? { onBehalfOfId } : {}),
      ...(item.grant_id ? { grantId: item.grant_id } : {}),
    },
    reason: input.comment ?? null,
  });
  return { final: result.finalIds.length === 1 };
}

/**
 * One decision for many items with one justification (issue 12 §4): the items named (every one must be
 * the actor's open item, else REVIEW_BULK_FOREIGN and nothing is written), or the actor's open items in
 * the campaign that match the filter. RECOMMENDED ends only items that carry a recommendation (its
 * reason is on each item). Up to BULK_LIMIT items per call; the result says how many were decided.
 */
export async function bulkDecideItems(tx: Tx, actor: Actor, raw: z.input<typeof BulkDecideItemsInput>, now = new Date()) {
  if (actor.kind !== "person") throw new DomainError("FORBIDDEN", { params: { permission: "self:review" } });
  const input = BulkDecideItemsInput.parse(raw);
  const campaign = await lockCampaign(tx, input.campaignId, "share");
  if (campaign.status !== "ACTIVE") throw new DomainError("REVIEW_CAMPAIGN_CLOSED");
  const forWhom = await actingFor(tx, actor, now);
  const mine = [...forWhom.keys()];
  let items: ItemRow[];
  if (input.itemIds?.length) {
    items = await lockItems(tx, campaign.id, [...new Set(input.itemIds)]);
    const foreign =
      items.length !== new Set(input.itemIds).size ||
      items.some((i) => i.status !== "OPEN" || !i.reviewer_id || !forWhom.has(i.reviewer_id));
    if (foreign) throw new DomainError("REVIEW_BULK_FOREIGN");
    if (items.some((i) => i.conflicted_ids.includes(actor.personId))) throw new DomainError("REVIEW_SELF");
  } else {
    const f = input.filter ?? {};
    const parts: Prisma.Sql[] = [
      Prisma.sql`i.campaign_id = ${campaign.id}::uuid`,
      Prisma.sql`i.status = 'OPEN'`,
      Prisma.sql`i.reviewer_id = ANY(${mine}::uuid[])`,
      Prisma.sql`NOT (${actor.personId}::uuid = ANY(i.conflicted_ids))`,
    ];
    if (f.systemId) parts.push(Prisma.sql`i.system_id = ${f.systemId}::uuid`);
    if (f.sensitive) parts.push(f.sensitive === "YES" ? Prisma.sql`i.is_sensitive` : Prisma.sql`NOT i.is_sensitive`);
    if (f.recommendation === "ANY") parts.push(Prisma.sql`i.recommendation IS NOT NULL`);
    else if (f.recommendation === "NONE") parts.push(Prisma.sql`i.recommendation IS NULL`);
    else if (f.recommendation) parts.push(Prisma.sql`i.recommendation = ${f.recommendation}`);
    const ids = await tx.$queryRaw<{ id: string }[]>`
      SELECT i.id::text FROM review_item i WHERE ${Prisma.join(parts, " AND ")} ORDER BY i.id LIMIT ${BULK_LIMIT}`;
    items = await lockItems(
      tx,
      campaign.id,
      ids.map((r) => r.id),
    );
    // Decided by someone else between the read and the lock: left out.
    items = items.filter((i) => i.status === "OPEN" && i.reviewer_id && forWhom.has(i.reviewer_id));
  }
  const chosen = input.decision === "RECOMMENDED" ? items.filter((i) => i.recommendation) : items;
  if (input.decision === "RECOMMENDED" && chosen.length === 0) throw new DomainError("REVIEW_NOTHING_RECOMMENDED");
  const decision: ReviewDecision = input.decision === "KEEP" ? "KEEP" : "END";
  const source: ReviewDecisionSource = input.decision === "RECOMMENDED" ? "RECOMMENDATION" : "BULK";
  const result = await recordDecisions(
    tx,
    actor,
    campaign,
    chosen.map((i) => ({
      id: i.id,
      stage: i.stage,
      decision,
      newEndsAt: null,
      onBehalfOfId: forWhom.get(i.reviewer_id!) ?? null,
      spentMs: null,
    })),
    { comment: input.comment, source, now },
  );
  if (chosen.length) {
    await recordBulkAuditEvent(
      tx,
      actor,
      {
        action: "review.items-decided",
        target: { type: "review-campaign", id: campaign.id },
        summary: {
          campaign: formatCampaignNumber(campaign.number),
          decision,
          source,
          count: chosen.length,
          final: result.finalIds.length,
          advanced: result.advanced,
        },
        reason: input.comment,
      },
      chosen.map((i) => ({ kind: "review-item" as const, subjectId: i.id, detail: { stage: i.stage + 1, decision, grantId: i.grant_id } })),
    );
  }
  return { decided: chosen.length, final: result.finalIds.length, advanced: result.advanced };
}

export const BULK_LIMIT = 5000;
