import type { z } from "zod";
import type { Tx } from "@/lib/db";
import { inTransaction } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { systemActor } from "@/lib/authz/actor";
import { Prisma } from "@/lib/generated/prisma/client";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent, recordBulkAuditEvent } from "@/lib/audit/record-audit-event";
import { notify } from "@/lib/notifications/notify";
import { eligiblePeople } from "@/lib/requests/approvers";
import { dayIn } from "@/lib/time/calendar";
import { pickReviewer, reviewerCtes, reviewerJoins } from "./reviewers";
import { assertMayReview } from "./define";
import { lockCampaign, lockCampaignIfFree, type LockedCampaign } from "./decide";
import { formatCampaignNumber, ReassignItemsInput } from "./schemas";

/**
 * Reminders and escalation (issue 12 §5), every few minutes:
 *  - once per campaign, `remindDaysBefore` days before the deadline, every reviewer with open items is
 *    told (in-app and e-mail) how many they have and by when; audited as review.reminded;
 *  - items still open `escalateAfterDays` after they were given to their reviewer go to that reviewer's
 *    head (the same rules: never someone conflicted on the item), who is told; audited with an item per
 *    item moved. Each campaign in its own transaction, claimed with SKIP LOCKED.
 */
export async function runReviewReminders(now = new Date(), actor: Actor = systemActor("review-reminders")) {
  let reminded = 0;
  let escalated = 0;
  const campaigns = await inTransaction((tx) =>
    tx.reviewCampaign.findMany({ where: { status: "ACTIVE", deadlineAt: { gt: now } }, select: { id: true }, orderBy: { id: "asc" } }),
  );
  for (const { id } of campaigns) {
    await inTransaction(async (tx) => {
      // A campaign being closed is skipped (its close decides everything that is still open).
      const campaign = await lockCampaignIfFree(tx, id, "share");
      if (!campaign || campaign.status !== "ACTIVE") return;
      reminded += await remindCampaign(tx, actor, campaign, now);
      escalated += await escalateCampaign(tx, actor, campaign, now);
    });
  }
  return { reminded, escalated };
}

async function remindCampaign(tx: Tx, actor: Actor, campaign: LockedCampaign, now: Date): Promise<number> {
  const days = campaign.settings.remindDaysBefore;
  if (days <= 0) return 0;
  // Claim the reminder (compare-and-set on reminded_at): two workers send it once.
  const [row] = await tx.$queryRaw<{ deadline_at: Date }[]>`
    UPDATE review_campaign SET reminded_at = ${now}
    WHERE id = ${campaign.id}::uuid AND reminded_at IS NULL AND deadline_at - make_interval(days => ${days}) <= ${now}
    RETURNING deadline_at`;
  if (!row) return 0;
  const reviewers = await tx.$queryRaw<{ reviewer_id: string; n: number }[]>`
    SELECT reviewer_id::text, count(*)::int AS n FROM review_item
    WHERE campaign_id = ${campaign.id}::uuid AND status = 'OPEN' AND reviewer_id IS NOT NULL GROUP BY reviewer_id`;
  const number = formatCampaignNumber(campaign.number);
  // The deadline is the start of the day after the last one: the last day is what people are told.
  const lastDay = dayIn(new Date(row.deadline_at.getTime() - 1));
  for (const r of reviewers)
    await notify(tx, {
      recipientIds: [r.reviewer_id],
      kind: "review-reminder",
      params: { campaign: number, count: r.n, deadline: lastDay },
      link: `/reviews/inbox?campaign=${campaign.id}`,
    });
  await recordAuditEvent(tx, actor, {
    action: "review.reminded",
    target: { type: "review-campaign", id: campaign.id },
    summary: { campaign: number, reviewers: reviewers.length, items: reviewers.reduce((a, r) => a + r.n, 0), lastDay },
  });
  return reviewers.length;
}

/** The head-of-reviewer pick: the reviewer's department heads, nearest first, never the reviewer or anyone conflicted. */
function headOfReviewer(): Prisma.Sql {
  return pickReviewer(
    { strategy: "DEPARTMENT_HEAD", reviewerIds: [] },
    {
      personId: Prisma.sql`i.person_id`,
      sponsorId: Prisma.sql`NULL::uuid`,
      conflicted: Prisma.sql`(i.conflicted_ids || ARRAY[i.reviewer_id])`,
    },
  );
}

async function escalateCampaign(tx: Tx, actor: Actor, campaign: LockedCampaign, now: Date): Promise<number> {
  const after = campaign.settings.escalateAfterDays;
  if (!after) return 0;
  const moved = await tx.$queryRaw<{ id: string; from_id: string; to_id: string }[]>`
    WITH ${reviewerCtes()},
    due AS (
      SELECT i.id FROM review_item i
      WHERE i.campaign_id = ${campaign.id}::uuid AND i.status = 'OPEN' AND i.reviewer_id IS NOT NULL AND i.reviewer_source <> 'ESCALATED'
        AND i.reviewer_assigned_at + make_interval(days => ${after}) <= ${now}
      ORDER BY i.id FOR UPDATE),
    picked AS (
      SELECT i.id, i.reviewer_id AS from_id, pick.reviewer_id AS to_id
      FROM review_item i JOIN due ON due.id = i.id JOIN business_system bs ON bs.id = i.system_id
      JOIN person rp ON rp.id = i.reviewer_id
      ${reviewerJoins({ unitId: Prisma.sql`rp.org_unit_id`, systemId: Prisma.sql`i.system_id`, ownerOrgId: Prisma.sql`bs.owner_org_id` })}
      JOIN LATERAL (${headOfReviewer()}) pick ON true)
    UPDATE review_item i SET reviewer_id = picked.to_id, reviewer_source = 'ESCALATED', reviewer_assigned_at = ${now},
           routing = jsonb_build_object('escalatedFrom', picked.from_id)
    FROM picked WHERE i.id = picked.id AND picked.to_id IS NOT NULL AND picked.to_id <> picked.from_id
    RETURNING i.id::text, picked.from_id::text, picked.to_id::text`;
  if (!moved.length) return 0;
  const number = formatCampaignNumber(campaign.number);
  const byNew = new Map<string, number>();
  for (const m of moved) byNew.set(m.to_id, (byNew.get(m.to_id) ?? 0) + 1);
  for (const [to, n] of byNew)
    await notify(tx, {
      recipientIds: [to],
      kind: "review-escalated",
      params: { campaign: number, count: n },
      link: `/reviews/inbox?campaign=${campaign.id}`,
    });
  await recordBulkAuditEvent(
    tx,
    actor,
    {
      action: "review.items-escalated",
      target: { type: "review-campaign", id: campaign.id },
      summary: { campaign: number, count: moved.length, afterDays: after },
    },
    moved.map((m) => ({ kind: "review-item" as const, subjectId: m.id, detail: { from: m.from_id, to: m.to_id } })),
  );
  return moved.length;
}

/**
 * Hands open items to another reviewer (issue 12 §3): the campaign's managers for any item, a reviewer
 * for their own items. The new reviewer must be eligible (active, account not disabled) and not
 * conflicted on any of the items (the reviewed person, or who granted, requested or approved it):
 * otherwise REVIEWER_NOT_ELIGIBLE / REVIEW_SELF and nothing changes.
 */
export async function reassignItems(tx: Tx, actor: Actor, raw: z.input<typeof ReassignItemsInput>, now = new Date()) {
  const input = ReassignItemsInput.parse(raw);
  const ids = [...new Set(input.itemIds)];
  const refs = await tx.reviewItem.findMany({ where: { id: { in: ids } }, select: { campaignId: true } });
  const campaignIds = [...new Set(refs.map((r) => r.campaignId))];
  if (refs.length !== ids.length || campaignIds.length !== 1) throw new DomainError("NOT_FOUND", { field: "itemIds" });
  const campaign = await lockCampaign(tx, campaignIds[0]!, "share");
  if (campaign.status !== "ACTIVE") throw new DomainError("REVIEW_CAMPAIGN_CLOSED");
  const items = await tx.$queryRaw<
    { id: string; status: string; reviewer_id: string | null; conflicted_ids: string[]; system_id: string }[]
  >`
    SELECT id::text, status::text, reviewer_id::text, conflicted_ids::text[] AS conflicted_ids, system_id::text FROM review_item
    WHERE id = ANY(${ids}::uuid[]) ORDER BY id FOR UPDATE`;
  if (items.some((i) => i.status !== "OPEN")) throw new DomainError("REVIEW_ITEM_DECIDED", { params: { by: "-", at: "-" } });
  const isManager = (() => {
    try {
      assertMayReview(actor, [...new Set(items.map((i) => i.system_id))]);
      return true;
    } catch {
      return false;
    }
  })();
  const ownsAll = actor.kind === "person" && items.every((i) => i.reviewer_id === actor.personId);
  if (!isManager && !ownsAll) throw new DomainError("NOT_A_REVIEWER");
  if (!(await eligiblePeople(tx, [input.reviewerId])).has(input.reviewerId))
    throw new DomainError("REVIEWER_NOT_ELIGIBLE", { field: "reviewerId" });
  if (items.some((i) => i.conflicted_ids.includes(input.reviewerId))) throw new DomainError("REVIEW_SELF", { field: "reviewerId" });
  await tx.$executeRaw`
    UPDATE review_item SET reviewer_id = ${input.reviewerId}::uuid, reviewer_source = 'REASSIGNED', reviewer_assigned_at = ${now},
           routing = jsonb_build_object('reassignedFrom', reviewer_id)
    WHERE id = ANY(${ids}::uuid[])`;
  const number = formatCampaignNumber(campaign.number);
  await notify(tx, {
    recipientIds: [input.reviewerId],
    kind: "review-assigned",
    params: { campaign: number, count: ids.length },
    link: `/reviews/inbox?campaign=${campaign.id}`,
  });
  await recordBulkAuditEvent(
    tx,
    actor,
    {
      action: "review.items-reassigned",
      target: { type: "review-campaign", id: campaign.id },
      summary: { campaign: number, count: ids.length, reviewerId: input.reviewerId },
      reason: input.reason,
    },
    items.map((i) => ({ kind: "review-item" as const, subjectId: i.id, detail: { from: i.reviewer_id, to: input.reviewerId } })),
  );
  return { reassigned: ids.length };
}
