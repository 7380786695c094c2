import type { z } from "zod";
import type { Tx } from "@/lib/db";
import { inTransaction } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { systemActor } from "@/lib/authz/actor";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent, recordBulkAuditEvent } from "@/lib/audit/record-audit-event";
import { log } from "@/lib/log";
import { applyItems } from "./apply";
import { assertMayReview } from "./define";
import { lockCampaign, scopeSystemIds } from "./decide";
import { CloseCampaignInput, formatCampaignNumber } from "./schemas";
import { addMonths, startCampaign } from "./start-campaign";
import { dayIn, zonedMidnight } from "@/lib/time/calendar";

/**
 * Closes a campaign (issue 12 §5, §6): every undecided item gets the definition's default (sensitive
 * and third-party items the risky default, END unless the definition says otherwise), recorded as a
 * DEFAULT decision of nobody and audited as such in one bulk event with an item per item; then every
 * final END / SHORTEN decision not yet applied goes through applyItems. Set-based, in the caller's
 * transaction, with the campaign row locked FOR UPDATE (deciders hold it FOR SHARE, so a decision
 * racing the deadline either lands before it or is refused as REVIEW_CAMPAIGN_CLOSED).
 */
export async function closeCampaignIn(tx: Tx, actor: Actor, campaignId: string, now: Date, reason: string | null) {
  const campaign = await lockCampaign(tx, campaignId, "update");
  if (campaign.status !== "ACTIVE") throw new DomainError("REVIEW_CAMPAIGN_CLOSED");
  const { settings } = campaign;
  const number = formatCampaignNumber(campaign.number);
  const defaulted = await tx.$queryRaw<{ id: string; stage: number; decision: "KEEP" | "END"; grant_id: string | null }[]>`
    WITH open AS (
      SELECT id, stage, CASE WHEN is_sensitive OR is_third_party THEN ${settings.riskyDefault} ELSE ${settings.defaultDecision} END AS decision
      FROM review_item WHERE campaign_id = ${campaign.id}::uuid AND status = 'OPEN' ORDER BY id FOR UPDATE),
    recorded AS (
      INSERT INTO review_item_decision (id, item_id, campaign_id, stage, reviewer_id, decision, source, created_at)
      SELECT gen_random_uuid(), open.id, ${campaign.id}::uuid, open.stage, NULL, open.decision::"ReviewDecision", 'DEFAULT', ${now} FROM open)
    UPDATE review_item i SET status = 'DECIDED', decision = open.decision::"ReviewDecision", decided_at = ${now}, decided_by_id = NULL,
           decision_source = 'DEFAULT', comment = NULL,
           apply_state = CASE WHEN open.decision = 'KEEP' THEN 'NONE' ELSE 'PENDING' END::"ReviewApplyState"
    FROM open WHERE i.id = open.id
    RETURNING i.id::text, i.stage, open.decision, i.grant_id::text`;
  if (defaulted.length) {
    await recordBulkAuditEvent(
      tx,
      actor,
      {
        action: "review.defaults-applied",
        target: { type: "review-campaign", id: campaign.id },
        summary: {
          campaign: number,
          count: defaulted.length,
          kept: defaulted.filter((d) => d.decision === "KEEP").length,
          ended: defaulted.filter((d) => d.decision === "END").length,
          defaultDecision: settings.defaultDecision,
          riskyDefault: settings.riskyDefault,
        },
        reason: reason ?? "deadline",
      },
      defaulted.map((d) => ({
        kind: "review-item" as const,
        subjectId: d.id,
        detail: { stage: d.stage + 1, decision: d.decision, grantId: d.grant_id },
      })),
    );
  }
  const pending = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text FROM review_item WHERE campaign_id = ${campaign.id}::uuid AND apply_state = 'PENDING' ORDER BY id`;
  const applied = await applyItems(
    tx,
    actor,
    campaign,
    pending.map((p) => p.id),
    now,
  );
  const [counts] = await tx.$queryRaw<{ items: number; kept: number; ended: number; shortened: number; defaulted: number }[]>`
    SELECT count(*)::int AS items, count(*) FILTER (WHERE decision = 'KEEP')::int AS kept, count(*) FILTER (WHERE decision = 'END')::int AS ended,
           count(*) FILTER (WHERE decision = 'SHORTEN')::int AS shortened, count(*) FILTER (WHERE decision_source = 'DEFAULT')::int AS defaulted
    FROM review_item WHERE campaign_id = ${campaign.id}::uuid`;
  const closeCounts = { ...counts!, grantsEnded: applied.ended, grantsShortened: applied.shortened, accountsDisabled: applied.accounts };
  await tx.reviewCampaign.update({
    where: { id: campaign.id },
    data: { status: "CLOSED", closedAt: now, closedById: actor.kind === "person" ? actor.personId : null, closeCounts },
    select: { id: true },
  });
  await recordAuditEvent(tx, actor, {
    action: "review.campaign-closed",
    target: { type: "review-campaign", id: campaign.id },
    summary: { campaign: number, ...closeCounts },
    reason: reason ?? "deadline",
  });
  return closeCounts;
}

/** The campaign's owner side closes it early (before the deadline), with a reason. */
export async function closeCampaign(tx: Tx, actor: Actor, raw: z.input<typeof CloseCampaignInput>, now = new Date()) {
  const input = CloseCampaignInput.parse(raw);
  const row = await tx.reviewCampaign.findUnique({ where: { id: input.campaignId }, select: { settings: true } });
  if (!row) throw new DomainError("NOT_FOUND", { field: "campaignId" });
  assertMayReview(actor, scopeSystemIds((row.settings as { scope?: unknown }).scope));
  return closeCampaignIn(tx, actor, input.campaignId, now, input.reason);
}

// Starting or closing a campaign of the whole estate (≈850,000 items) is one transaction.
export const LONG_TX_MS = 600_000;

/**
 * The reviews' schedule job (every minute): starts the campaigns whose definition's next start has
 * come, and closes those whose deadline has passed. Each campaign in its own transaction, claimed with
 * SKIP LOCKED, so two workers never do one twice and a crash leaves each either done or untouched.
 */
export async function runReviewSchedule(now = new Date(), actor: Actor = systemActor("review-schedule")) {
  let started = 0;
  let closed = 0;
  const tried = new Set<string>();
  for (;;) {
    let claimed: string | null = null;
    try {
      claimed = await inTransaction(
        async (tx) => {
          const [due] = await tx.$queryRaw<{ id: string }[]>`
          SELECT id::text FROM review_definition
          WHERE is_active AND next_start_at IS NOT NULL AND next_start_at <= ${now} AND NOT (id = ANY(${[...tried]}::uuid[]))
          ORDER BY next_start_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`;
          if (!due) return null;
          tried.add(due.id);
          await startCampaign(tx, actor, due.id, now);
          started++;
          return due.id;
        },
        { timeoutMs: LONG_TX_MS },
      );
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      // Nothing in scope this time: that start rolled back whole; the definition waits for its next
      // period (a one-off stops), and the trail says why.
      const id = [...tried].pop()!;
      log.warn({ definitionId: id, code: error.code }, "scheduled review did not start");
      await inTransaction(async (tx) => {
        const def = await tx.reviewDefinition.findUnique({ where: { id }, select: { schedule: true, nextStartAt: true } });
        const next = def?.schedule && def.schedule !== "ONCE" && def.nextStartAt ? nextPeriodStart(def.nextStartAt, def.schedule) : null;
        await tx.reviewDefinition.update({ where: { id }, data: { nextStartAt: next }, select: { id: true } });
        await recordAuditEvent(tx, actor, {
          action: "review.campaign-started",
          target: { type: "review-definition", id },
          summary: { started: false, code: error.code, nextStartAt: next?.toISOString() ?? null },
        });
      });
      continue;
    }
    if (!claimed) break;
  }
  for (;;) {
    const done = await inTransaction(
      async (tx) => {
        const [due] = await tx.$queryRaw<{ id: string }[]>`
        SELECT id::text FROM review_campaign WHERE status = 'ACTIVE' AND deadline_at <= ${now}
        ORDER BY deadline_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`;
        if (!due) return false;
        await closeCampaignIn(tx, actor, due.id, now, null);
        closed++;
        return true;
      },
      { timeoutMs: LONG_TX_MS },
    );
    if (!done) break;
  }
  return { started, closed };
}

/** The start of the period after `from` for a recurring schedule. */
function nextPeriodStart(from: Date, schedule: "QUARTERLY" | "HALF_YEARLY"): Date {
  return zonedMidnight(addMonths(dayIn(from), schedule === "QUARTERLY" ? 3 : 6));
}
