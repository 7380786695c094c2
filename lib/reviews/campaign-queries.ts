import { getDb, type Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { can, systemsScope } from "@/lib/authz/can";
import { decodeCursor, encodeCursor, type Page } from "@/lib/http/cursor";
import { decodeLabelCursor, LOOKUP_LIMIT, lookupPage, type LookupPage, type LookupQuery } from "@/lib/http/lookup";
import { APP_TIME_ZONE } from "@/lib/time/calendar";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { OPEN_REMEDIATION, remediationOf, type RemediationState } from "./remediation";

// Reads for the campaign pages (issue 12 §7, §8): the list of campaigns and definitions, one campaign's
// progress by stage and reviewer, decisions per day, remediation and the decision-quality signals.
// Every query is set-based and bounded (a page, a LIMIT, or chunks by id).

export const CAMPAIGNS_PAGE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Db = Tx | PrismaClient;

/**
 * Who sees which campaigns and definitions: null = every one (security officers, anyone whose
 * reviews:manage is not system-scoped); else the account administrator's systems, and a campaign is
 * theirs only when its scope names systems and every one of them is theirs.
 */
export function reviewScope(actor: Actor): string[] | null {
  if (actor.kind === "system") return null;
  const mine = systemsScope(actor);
  if (mine === null || can(actor, "reviews:quality")) return null;
  return mine;
}

export type CampaignRow = {
  id: string;
  number: number;
  name: string;
  status: "ACTIVE" | "CLOSED";
  startedAt: Date;
  deadlineAt: Date;
  closedAt: Date | null;
  itemCount: number;
  decided: number;
  definitionNumber: number;
};

type Cursor = [string, string];
const isCursor = (v: unknown): v is Cursor =>
  Array.isArray(v) &&
  v.length === 2 &&
  typeof v[0] === "string" &&
  typeof v[1] === "string" &&
  !Number.isNaN(Date.parse(v[0])) &&
  UUID.test(v[1]);

/** Campaigns newest first (started_at, id), 50 a page, with their decided count for the progress %. */
export async function listCampaigns(actor: Actor, cursor?: string | null, db: Db = getDb()): Promise<Page<CampaignRow>> {
  const after = decodeCursor(cursor, isCursor);
  const mine = reviewScope(actor);
  const rows = await db.$queryRaw<CampaignRow[]>`
    SELECT c.id::text, c.number, c.name, c.status::text, c.started_at AS "startedAt", c.deadline_at AS "deadlineAt",
           c.closed_at AS "closedAt", c.item_count AS "itemCount", d.number AS "definitionNumber",
           (SELECT count(*)::int FROM review_item i WHERE i.campaign_id = c.id AND i.status = 'DECIDED') AS decided
    FROM review_campaign c
    JOIN review_definition d ON d.id = c.definition_id
    WHERE (${after?.[0] ?? null}::timestamptz IS NULL OR (c.started_at, c.id) < (${after?.[0] ?? null}::timestamptz, ${after?.[1] ?? null}::uuid))
      AND (${mine}::uuid[] IS NULL OR (
            jsonb_array_length(COALESCE(c.settings->'scope'->'systemIds', '[]'::jsonb)) > 0
            AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(c.settings->'scope'->'systemIds') s(id)
                            WHERE s.id::uuid <> ALL(${mine}::uuid[]))))
    ORDER BY c.started_at DESC, c.id DESC
    LIMIT ${CAMPAIGNS_PAGE + 1}`;
  const more = rows.length > CAMPAIGNS_PAGE;
  const page = rows.slice(0, CAMPAIGNS_PAGE);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: more && last ? encodeCursor([last.startedAt.toISOString(), last.id]) : null };
}

export type DefinitionRow = {
  id: string;
  number: number;
  name: string;
  schedule: "ONCE" | "QUARTERLY" | "HALF_YEARLY";
  durationDays: number;
  nextStartAt: Date | null;
  isActive: boolean;
  campaigns: number;
};

/** The active definitions the actor may run, newest first, at most 100 (retired ones stop here; their campaigns stay listed). */
export async function listDefinitions(actor: Actor, db: Db = getDb()): Promise<DefinitionRow[]> {
  const mine = reviewScope(actor);
  return db.$queryRaw<DefinitionRow[]>`
    SELECT d.id::text, d.number, d.name, d.schedule::text, d.duration_days AS "durationDays", d.next_start_at AS "nextStartAt",
           d.is_active AS "isActive", (SELECT count(*)::int FROM review_campaign c WHERE c.definition_id = d.id) AS campaigns
    FROM review_definition d
    WHERE d.is_active
      AND (${mine}::uuid[] IS NULL OR (
            jsonb_array_length(COALESCE(d.scope->'systemIds', '[]'::jsonb)) > 0
            AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(d.scope->'systemIds') s(id)
                            WHERE s.id::uuid <> ALL(${mine}::uuid[]))))
    ORDER BY d.number DESC
    LIMIT 100`;
}

export type CampaignHeader = {
  id: string;
  number: number;
  name: string;
  status: "ACTIVE" | "CLOSED";
  settings: unknown;
  startedAt: Date;
  deadlineAt: Date;
  closedAt: Date | null;
  itemCount: number;
  closeCounts: unknown;
  definitionId: string;
  definitionNumber: number;
  systemIds: string[];
};

/** One campaign, if the actor may manage it (null otherwise: not found and not theirs look alike). */
export async function getCampaign(actor: Actor, id: string, db: Db = getDb()): Promise<CampaignHeader | null> {
  if (!UUID.test(id)) return null;
  const mine = reviewScope(actor);
  const [row] = await db.$queryRaw<(CampaignHeader & { systemIds: string[] | null })[]>`
    SELECT c.id::text, c.number, c.name, c.status::text, c.settings, c.started_at AS "startedAt", c.deadline_at AS "deadlineAt",
           c.closed_at AS "closedAt", c.item_count AS "itemCount", c.close_counts AS "closeCounts",
           d.id::text AS "definitionId", d.number AS "definitionNumber",
           ARRAY(SELECT jsonb_array_elements_text(COALESCE(c.settings->'scope'->'systemIds', '[]'::jsonb))) AS "systemIds"
    FROM review_campaign c JOIN review_definition d ON d.id = c.definition_id
    WHERE c.id = ${id}::uuid`;
  if (!row) return null;
  const systemIds = row.systemIds ?? [];
  if (mine !== null && (systemIds.length === 0 || systemIds.some((s) => !mine.includes(s)))) return null;
  return { ...row, systemIds };
}

export type DecisionCounts = { keep: number; end: number; shorten: number; defaulted: number };
export type StageProgress = DecisionCounts & { stage: number; open: number };
export type ReviewerProgress = DecisionCounts & { reviewerId: string | null; name: string | null; employeeNo: string | null; open: number };

export type CampaignProgress = {
  open: number;
  decided: number;
  stages: StageProgress[];
  reviewers: ReviewerProgress[];
  // More reviewers than shown (the list holds the REVIEWERS_SHOWN with the most open items).
  moreReviewers: boolean;
};

export const REVIEWERS_SHOWN = 100;

/**
 * Progress by stage (open items at that stage; decisions made at it, keep/end/shorten, of which by
 * default) and by reviewer (their open items and the decisions they made), from two grouped queries.
 */
export async function campaignProgress(campaignId: string, db: Db = getDb()): Promise<CampaignProgress> {
  const [totals] = await db.$queryRaw<{ open: number; decided: number }[]>`
    SELECT count(*) FILTER (WHERE status = 'OPEN')::int AS open, count(*) FILTER (WHERE status = 'DECIDED')::int AS decided
    FROM review_item WHERE campaign_id = ${campaignId}::uuid`;
  const stages = await db.$queryRaw<StageProgress[]>`
    WITH o AS (SELECT stage, count(*)::int AS open FROM review_item WHERE campaign_id = ${campaignId}::uuid AND status = 'OPEN' GROUP BY stage),
         d AS (SELECT stage,
                      count(*) FILTER (WHERE decision = 'KEEP')::int AS keep,
                      count(*) FILTER (WHERE decision = 'END')::int AS "end",
                      count(*) FILTER (WHERE decision = 'SHORTEN')::int AS shorten,
                      count(*) FILTER (WHERE source = 'DEFAULT')::int AS defaulted
               FROM review_item_decision WHERE campaign_id = ${campaignId}::uuid GROUP BY stage)
    SELECT COALESCE(o.stage, d.stage) AS stage, COALESCE(o.open, 0) AS open, COALESCE(d.keep, 0) AS keep,
           COALESCE(d."end", 0) AS "end", COALESCE(d.shorten, 0) AS shorten, COALESCE(d.defaulted, 0) AS defaulted
    FROM o FULL JOIN d ON d.stage = o.stage
    ORDER BY 1`;
  const reviewers = await db.$queryRaw<ReviewerProgress[]>`
    WITH r AS (
      SELECT reviewer_id, sum(open)::int AS open, sum(keep)::int AS keep, sum("end")::int AS "end",
             sum(shorten)::int AS shorten, sum(defaulted)::int AS defaulted
      FROM (SELECT reviewer_id, count(*) AS open, 0 AS keep, 0 AS "end", 0 AS shorten, 0 AS defaulted
            FROM review_item WHERE campaign_id = ${campaignId}::uuid AND status = 'OPEN' GROUP BY reviewer_id
            UNION ALL
            SELECT reviewer_id, 0, count(*) FILTER (WHERE decision = 'KEEP'), count(*) FILTER (WHERE decision = 'END'),
                   count(*) FILTER (WHERE decision = 'SHORTEN'), count(*) FILTER (WHERE source = 'DEFAULT')
            FROM review_item_decision WHERE campaign_id = ${campaignId}::uuid AND reviewer_id IS NOT NULL GROUP BY reviewer_id) x
      GROUP BY reviewer_id)
    SELECT r.reviewer_id::text AS "reviewerId", p.name, p.employee_no AS "employeeNo", r.open, r.keep, r."end", r.shorten, r.defaulted
    FROM r LEFT JOIN person p ON p.id = r.reviewer_id
    ORDER BY r.open DESC, (r.keep + r."end" + r.shorten) DESC, r.reviewer_id
    LIMIT ${REVIEWERS_SHOWN + 1}`;
  return {
    open: totals?.open ?? 0,
    decided: totals?.decided ?? 0,
    stages,
    reviewers: reviewers.slice(0, REVIEWERS_SHOWN),
    moreReviewers: reviewers.length > REVIEWERS_SHOWN,
  };
}

export type DecisionDay = DecisionCounts & { day: string };

/** Decisions per calendar day of the portal's time zone (at most the 120 latest days with any). */
export async function decisionsPerDay(campaignId: string, timeZone = APP_TIME_ZONE, db: Db = getDb()): Promise<DecisionDay[]> {
  const rows = await db.$queryRaw<DecisionDay[]>`
    SELECT to_char((created_at AT TIME ZONE ${timeZone})::date, 'YYYY-MM-DD') AS day,
           count(*) FILTER (WHERE decision = 'KEEP')::int AS keep,
           count(*) FILTER (WHERE decision = 'END')::int AS "end",
           count(*) FILTER (WHERE decision = 'SHORTEN')::int AS shorten,
           count(*) FILTER (WHERE source = 'DEFAULT')::int AS defaulted
    FROM review_item_decision WHERE campaign_id = ${campaignId}::uuid
    GROUP BY 1 ORDER BY 1 DESC LIMIT 120`;
  return rows.reverse();
}

export type RemediationSummary = { applied: number; pending: number; failed: number; remediated: number; open: number; other: number };

const REMEDIATION_CHUNK = 2000;

/**
 * How far the applied decisions got in the systems: applied items walked in chunks by id through
 * remediationOf (remediated = confirmed or verified; open = OPEN_REMEDIATION; other = scheduled
 * shortenings and access that had ended anyway); pending = waiting for the close; failed = not applied.
 */
export async function remediationSummary(campaignId: string, db: Db = getDb()): Promise<RemediationSummary> {
  const [counts] = await db.$queryRaw<{ pending: number; failed: number }[]>`
    SELECT count(*) FILTER (WHERE apply_state = 'PENDING')::int AS pending,
           count(*) FILTER (WHERE apply_state <> 'APPLIED' AND status = 'DECIDED' AND decision <> 'KEEP' AND apply_error IS NOT NULL)::int AS failed
    FROM review_item WHERE campaign_id = ${campaignId}::uuid AND decision IS DISTINCT FROM 'KEEP'`;
  const out: RemediationSummary = {
    applied: 0,
    pending: counts?.pending ?? 0,
    failed: counts?.failed ?? 0,
    remediated: 0,
    open: 0,
    other: 0,
  };
  let after: string | null = null;
  for (;;) {
    const ids: { id: string }[] = await db.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM review_item
      WHERE campaign_id = ${campaignId}::uuid AND apply_state = 'APPLIED' AND decision <> 'KEEP'
        AND (${after}::uuid IS NULL OR id > ${after}::uuid)
      ORDER BY id LIMIT ${REMEDIATION_CHUNK}`;
    if (!ids.length) break;
    const states = await remediationOf(
      ids.map((r) => r.id),
      db,
    );
    for (const { state } of states.values()) {
      out.applied++;
      if (state === "REMEDIATED") out.remediated++;
      else if ((OPEN_REMEDIATION as readonly RemediationState[]).includes(state)) out.open++;
      else out.other++;
    }
    if (ids.length < REMEDIATION_CHUNK) break;
    after = ids[ids.length - 1]!.id;
  }
  return out;
}

export type SpeedSignal = {
  reviewerId: string;
  name: string | null;
  employeeNo: string | null;
  decisions: number;
  medianMs: number;
  p90Ms: number;
};
export type BurstSignal = { reviewerId: string; name: string | null; employeeNo: string | null; decision: string; count: number; at: Date };
export type NeverEndsSignal = { reviewerId: string; name: string | null; employeeNo: string | null; decisions: number };
export type QualitySignals = { speed: SpeedSignal[]; bursts: BurstSignal[]; neverEnds: NeverEndsSignal[] };

export const BURST_SIZE = 20;
export const BURST_WINDOW_S = 60;
export const NEVER_ENDS_MIN = 20;
const SIGNALS_SHOWN = 50;

/**
 * Decision-quality signals for security officers (issue 12 §7), defaults excluded (nobody decided them):
 *  - time per decision by reviewer (median, p90 of spent_ms: the form's time on screen), fastest first;
 *  - bursts: ≥ BURST_SIZE identical decisions by one reviewer within BURST_WINDOW_S seconds (the
 *    largest window per reviewer and decision; a bulk decision is one);
 *  - reviewers who decided ≥ NEVER_ENDS_MIN items and never ended or shortened anything.
 */
export async function qualitySignals(campaignId: string, db: Db = getDb()): Promise<QualitySignals> {
  const speed = await db.$queryRaw<SpeedSignal[]>`
    SELECT d.reviewer_id::text AS "reviewerId", p.name, p.employee_no AS "employeeNo", count(*)::int AS decisions,
           round(percentile_cont(0.5) WITHIN GROUP (ORDER BY d.spent_ms))::int AS "medianMs",
           round(percentile_cont(0.9) WITHIN GROUP (ORDER BY d.spent_ms))::int AS "p90Ms"
    FROM review_item_decision d LEFT JOIN person p ON p.id = d.reviewer_id
    WHERE d.campaign_id = ${campaignId}::uuid AND d.reviewer_id IS NOT NULL AND d.spent_ms IS NOT NULL AND d.source <> 'DEFAULT'
    GROUP BY d.reviewer_id, p.name, p.employee_no
    ORDER BY "medianMs", d.reviewer_id LIMIT ${SIGNALS_SHOWN}`;
  const bursts = await db.$queryRaw<BurstSignal[]>`
    WITH w AS (
      SELECT reviewer_id, decision, created_at,
             count(*) OVER (PARTITION BY reviewer_id, decision ORDER BY created_at
                            RANGE BETWEEN ${`${BURST_WINDOW_S} seconds`}::interval PRECEDING AND CURRENT ROW) AS n
      FROM review_item_decision
      WHERE campaign_id = ${campaignId}::uuid AND reviewer_id IS NOT NULL AND source <> 'DEFAULT'),
    best AS (
      SELECT DISTINCT ON (reviewer_id, decision) reviewer_id, decision, n, created_at
      FROM w WHERE n >= ${BURST_SIZE} ORDER BY reviewer_id, decision, n DESC, created_at)
    SELECT b.reviewer_id::text AS "reviewerId", p.name, p.employee_no AS "employeeNo", b.decision::text, b.n::int AS count, b.created_at AS at
    FROM best b LEFT JOIN person p ON p.id = b.reviewer_id
    ORDER BY b.n DESC, b.reviewer_id LIMIT ${SIGNALS_SHOWN}`;
  const neverEnds = await db.$queryRaw<NeverEndsSignal[]>`
    SELECT d.reviewer_id::text AS "reviewerId", p.name, p.employee_no AS "employeeNo", count(*)::int AS decisions
    FROM review_item_decision d LEFT JOIN person p ON p.id = d.reviewer_id
    WHERE d.campaign_id = ${campaignId}::uuid AND d.reviewer_id IS NOT NULL AND d.source <> 'DEFAULT'
    GROUP BY d.reviewer_id, p.name, p.employee_no
    HAVING count(*) >= ${NEVER_ENDS_MIN} AND count(*) FILTER (WHERE d.decision <> 'KEEP') = 0
    ORDER BY decisions DESC, d.reviewer_id LIMIT ${SIGNALS_SHOWN}`;
  return { speed, bursts, neverEnds };
}

/**
 * The people picker of the definition form (named reviewers): active people with a portal account,
 * by name, 20 at a time (keyset on name, id).
 */
export async function lookupReviewers(query: LookupQuery, db: Db = getDb()): Promise<LookupPage> {
  const cursor = decodeLabelCursor(query.cursor);
  const q = query.q ? `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const rows = await db.$queryRaw<{ id: string; name: string; employee_no: string }[]>`
    SELECT p.id::text, p.name, p.employee_no FROM person p
    WHERE p.status = 'ACTIVE'
      AND (${q}::text IS NULL OR p.name ILIKE ${q} OR p.employee_no ILIKE ${q})
      AND (${cursor?.v ?? null}::text IS NULL OR (p.name, p.id) > (${cursor?.v ?? null}::text, ${cursor?.id ?? null}::uuid))
    ORDER BY p.name, p.id LIMIT ${LOOKUP_LIMIT + 1}`;
  return lookupPage(
    rows,
    (r) => r.name,
    (r) => ({ id: r.id, label: r.name, hint: r.employee_no }),
  );
}
