import { z } from "zod";
import { getDb, Prisma } from "@/lib/db";
import type { Actor, PersonActor } from "@/lib/authz/actor";
import { can } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { decodeCursor, encodeCursor, type Page } from "@/lib/http/cursor";
import { decodeLabelCursor, LOOKUP_LIMIT, lookupPage, type LookupPage, type LookupQuery } from "@/lib/http/lookup";
import { text } from "@/lib/validation";
import { assertMayReview } from "./define";
import { remediationOf, type Remediation } from "./remediation";
import { formatCampaignNumber, RECOMMENDATIONS } from "./schemas";

// The reviewer's side of access reviews (issue 12 §4, §8): the inbox of items to decide (the actor's
// own and those of people who delegated to them now), what they decided, one item's detail, and the
// counts on the home page. Rows carry only what the pages render: the frozen facts blob stays here.

export const INBOX_PAGE_SIZE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isIdCursor = (v: unknown): v is { id: string } =>
  typeof v === "object" && v !== null && UUID.test(String((v as { id?: unknown }).id));
const uuidParam = () => text().regex(UUID).optional().catch(undefined);

/** The inbox's GET parameters; anything unreadable is ignored (the first page, unfiltered). */
export const ReviewInboxFilter = z.object({
  view: z.enum(["open", "decided"]).optional().catch(undefined),
  campaign: uuidParam(),
  system: uuidParam(),
  recommendation: z
    .enum([...RECOMMENDATIONS, "ANY", "NONE"])
    .optional()
    .catch(undefined),
  sensitive: z.enum(["YES", "NO"]).optional().catch(undefined),
  q: text().trim().max(100).optional().catch(undefined),
  cursor: text().max(1000).optional().catch(undefined),
});
export type ReviewInboxFilter = z.infer<typeof ReviewInboxFilter>;

export type ReviewInboxRow = {
  id: string;
  campaignId: string;
  campaign: string;
  deadlineAt: Date;
  person: { name: string; employeeNo: string } | null;
  loginName: string;
  system: { name: string; nameEn: string | null };
  access: { name: string; nameEn: string | null } | null;
  isSensitive: boolean;
  isThirdParty: boolean;
  recommendation: string | null;
  recommendationParams: Record<string, string | number | null> | null;
  reviewerSource: string;
  /** Set when the item is a delegator's: whom the actor decides it for. */
  onBehalfOf: string | null;
  status: "OPEN" | "DECIDED";
  decision: "KEEP" | "END" | "SHORTEN" | null;
  decidedAt: Date | null;
};

type Sql = {
  id: string;
  campaign_id: string;
  campaign_number: number;
  deadline_at: Date;
  person_name: string | null;
  employee_no: string | null;
  login_name: string | null;
  system_name: string | null;
  system_name_en: string | null;
  access_name: string | null;
  access_name_en: string | null;
  is_sensitive: boolean;
  is_third_party: boolean;
  recommendation: string | null;
  recommendation_params: Record<string, string | number | null> | null;
  reviewer_source: string;
  reviewer_id: string | null;
  reviewer_name: string | null;
  status: "OPEN" | "DECIDED";
  decision: "KEEP" | "END" | "SHORTEN" | null;
  decided_at: Date | null;
};

/** The people the actor decides for now: themselves and whoever delegated to them (out of office). */
export async function reviewingFor(personId: string, now: Date): Promise<string[]> {
  const rows = await getDb().approvalDelegation.findMany({
    where: { delegateId: personId, revokedAt: null, startsAt: { lte: now }, endsAt: { gt: now } },
    select: { delegatorId: true },
  });
  return [personId, ...rows.map((r) => r.delegatorId)];
}

function likePattern(q: string) {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function filterSql(f: ReviewInboxFilter): Prisma.Sql[] {
  const parts: Prisma.Sql[] = [];
  if (f.campaign) parts.push(Prisma.sql`i.campaign_id = ${f.campaign}::uuid`);
  if (f.system) parts.push(Prisma.sql`i.system_id = ${f.system}::uuid`);
  if (f.sensitive) parts.push(f.sensitive === "YES" ? Prisma.sql`i.is_sensitive` : Prisma.sql`NOT i.is_sensitive`);
  if (f.recommendation === "ANY") parts.push(Prisma.sql`i.recommendation IS NOT NULL`);
  else if (f.recommendation === "NONE") parts.push(Prisma.sql`i.recommendation IS NULL`);
  else if (f.recommendation) parts.push(Prisma.sql`i.recommendation = ${f.recommendation}`);
  if (f.q) {
    const like = likePattern(f.q);
    parts.push(Prisma.sql`(i.facts->'person'->>'name' ILIKE ${like} OR i.facts->'person'->>'employeeNo' ILIKE ${like}
      OR i.facts->'account'->>'loginName' ILIKE ${like})`);
  }
  return parts;
}

/** Whose items the view holds: open ones the actor may decide now, or those the actor decided at some stage. */
function viewSql(f: ReviewInboxFilter, personId: string, mine: string[]): Prisma.Sql[] {
  if (f.view === "decided")
    return [Prisma.sql`i.id IN (SELECT d.item_id FROM review_item_decision d WHERE d.reviewer_id = ${personId}::uuid)`];
  return [
    Prisma.sql`i.reviewer_id = ANY(${mine}::uuid[])`,
    Prisma.sql`i.status = 'OPEN'`,
    // A delegate never sees (nor decides) what they are conflicted on.
    Prisma.sql`NOT (${personId}::uuid = ANY(i.conflicted_ids))`,
  ];
}

/** One page (50, keyset on id) of the actor's review inbox, filtered in SQL. */
export async function listReviewInbox(
  actor: PersonActor,
  raw: Partial<Record<keyof ReviewInboxFilter, unknown>>,
  now = new Date(),
): Promise<Page<ReviewInboxRow>> {
  const f = ReviewInboxFilter.parse(raw);
  const mine = await reviewingFor(actor.personId, now);
  const cursor = decodeCursor(f.cursor, isIdCursor);
  const after = cursor ? [Prisma.sql`i.id > ${cursor.id}::uuid`] : [];
  // Open items: one index walk per person decided for (review_item(reviewer_id, status, id), in id
  // order, at most a page each), merged; a single reviewer_id = ANY(…) would read and sort them all.
  const source =
    f.view === "decided"
      ? Prisma.sql`(SELECT i.* FROM review_item i WHERE ${Prisma.join([...viewSql(f, actor.personId, mine), ...filterSql(f), ...after], " AND ")}
           ORDER BY i.id LIMIT ${INBOX_PAGE_SIZE + 1}) i`
      : Prisma.sql`unnest(${mine}::uuid[]) AS m(rid) CROSS JOIN LATERAL (
           SELECT i.* FROM review_item i
           WHERE ${Prisma.join(
             [
               Prisma.sql`i.reviewer_id = m.rid`,
               Prisma.sql`i.status = 'OPEN'`,
               Prisma.sql`NOT (${actor.personId}::uuid = ANY(i.conflicted_ids))`,
               ...filterSql(f),
               ...after,
             ],
             " AND ",
           )}
           ORDER BY i.id LIMIT ${INBOX_PAGE_SIZE + 1}) i`;
  const rows = await getDb().$queryRaw<Sql[]>`
    SELECT i.id::text, i.campaign_id::text, c.number AS campaign_number, c.deadline_at,
           i.facts->'person'->>'name' AS person_name, i.facts->'person'->>'employeeNo' AS employee_no,
           i.facts->'account'->>'loginName' AS login_name,
           i.facts->'system'->>'name' AS system_name, i.facts->'system'->>'nameEn' AS system_name_en,
           i.facts->'grant'->>'name' AS access_name, i.facts->'grant'->>'nameEn' AS access_name_en,
           i.is_sensitive, i.is_third_party, i.recommendation, i.recommendation_params, i.reviewer_source::text,
           i.reviewer_id::text, r.name AS reviewer_name, i.status::text, i.decision::text, i.decided_at
    FROM ${source}
    JOIN review_campaign c ON c.id = i.campaign_id
    LEFT JOIN person r ON r.id = i.reviewer_id
    ORDER BY i.id
    LIMIT ${INBOX_PAGE_SIZE + 1}`;
  const page = rows.slice(0, INBOX_PAGE_SIZE);
  const last = page[page.length - 1];
  return {
    rows: page.map((r) => ({
      id: r.id,
      campaignId: r.campaign_id,
      campaign: formatCampaignNumber(r.campaign_number),
      deadlineAt: r.deadline_at,
      person: r.person_name ? { name: r.person_name, employeeNo: r.employee_no ?? "" } : null,
      loginName: r.login_name ?? "",
      system: { name: r.system_name ?? "", nameEn: r.system_name_en },
      access: r.access_name ? { name: r.access_name, nameEn: r.access_name_en } : null,
      isSensitive: r.is_sensitive,
      isThirdParty: r.is_third_party,
      recommendation: r.recommendation,
      recommendationParams: r.recommendation_params,
      reviewerSource: r.reviewer_source,
      onBehalfOf: r.status === "OPEN" && r.reviewer_id && r.reviewer_id !== actor.personId ? (r.reviewer_name ?? "") : null,
      status: r.status,
      decision: r.decision,
      decidedAt: r.decided_at,
    })),
    nextCursor: rows.length > INBOX_PAGE_SIZE && last ? encodeCursor({ id: last.id }) : null,
  };
}

/** How many open items match the filter, and how many of them carry a recommendation (the bulk bar). */
export async function countReviewInbox(
  actor: PersonActor,
  raw: Partial<Record<keyof ReviewInboxFilter, unknown>>,
  now = new Date(),
): Promise<{ matching: number; recommended: number }> {
  const f = { ...ReviewInboxFilter.parse(raw), view: "open" as const };
  const mine = await reviewingFor(actor.personId, now);
  const where = [...viewSql(f, actor.personId, mine), ...filterSql(f)];
  const [row] = await getDb().$queryRaw<{ matching: number; recommended: number }[]>`
    SELECT count(*)::int AS matching, count(*) FILTER (WHERE i.recommendation IS NOT NULL)::int AS recommended
    FROM review_item i WHERE ${Prisma.join(where, " AND ")}`;
  return row ?? { matching: 0, recommended: 0 };
}

/** The campaigns and systems the actor has open items in (the inbox's filter choices). */
export async function reviewInboxChoices(actor: PersonActor, now = new Date()) {
  const mine = await reviewingFor(actor.personId, now);
  const [campaigns, systems] = await Promise.all([
    getDb().$queryRaw<{ id: string; number: number; name: string }[]>`
      SELECT c.id::text, c.number, c.name FROM review_campaign c
      WHERE c.status = 'ACTIVE' AND EXISTS (SELECT 1 FROM review_item i WHERE i.campaign_id = c.id AND i.reviewer_id = ANY(${mine}::uuid[]) AND i.status = 'OPEN')
      ORDER BY c.number DESC LIMIT 100`,
    getDb().$queryRaw<{ id: string; name: string; name_en: string | null }[]>`
      SELECT bs.id::text, bs.name, bs.name_en FROM business_system bs
      WHERE EXISTS (SELECT 1 FROM review_item i WHERE i.system_id = bs.id AND i.reviewer_id = ANY(${mine}::uuid[]) AND i.status = 'OPEN')
      ORDER BY bs.name LIMIT 200`,
  ]);
  return {
    campaigns: campaigns.map((c) => ({ id: c.id, label: `${formatCampaignNumber(c.number)} ${c.name}` })),
    systems: systems.map((s) => ({ id: s.id, name: s.name, nameEn: s.name_en })),
  };
}

/**
 * The home page's cards and the nav badge: open items the actor decides now, those whose campaign's
 * deadline is within three days, and those escalated to them.
 */
export async function countMyReviews(personId: string, now = new Date()): Promise<{ open: number; dueSoon: number; escalated: number }> {
  const mine = await reviewingFor(personId, now);
  const soon = new Date(now.getTime() + 3 * 86_400_000);
  const [row] = await getDb().$queryRaw<{ open: number; due_soon: number; escalated: number }[]>`
    SELECT count(*)::int AS open,
           count(*) FILTER (WHERE c.deadline_at <= ${soon})::int AS due_soon,
           count(*) FILTER (WHERE i.reviewer_source = 'ESCALATED')::int AS escalated
    FROM review_item i JOIN review_campaign c ON c.id = i.campaign_id
    WHERE i.reviewer_id = ANY(${mine}::uuid[]) AND i.status = 'OPEN' AND c.status = 'ACTIVE'
      AND NOT (${personId}::uuid = ANY(i.conflicted_ids))`;
  return { open: row?.open ?? 0, dueSoon: row?.due_soon ?? 0, escalated: row?.escalated ?? 0 };
}

export type ItemFacts = {
  person: {
    employeeNo: string;
    name: string;
    status: string;
    orgUnit: string | null;
    orgUnitEn: string | null;
    jobTitle: string | null;
    employmentType: string;
    vendor: string | null;
    sponsor: string | null;
    contractEndsOn: string | null;
  } | null;
  account: { loginName: string; status: string; lastLoginAt: string | null; createdAt: string | null; basis: string | null };
  system: { code: string; name: string; nameEn: string | null };
  grant: GrantFacts | { roles: (GrantFacts & { sensitive: boolean })[] } | null;
  findings: { code: string; rule: string }[] | { code: string; rule: string }[][] | null;
};
export type GrantFacts = {
  code: string;
  name: string;
  nameEn: string | null;
  administrative: boolean;
  startsAt: string | null;
  endsAt: string | null;
  reason: string | null;
  basis: string | null;
  grantedBy: string | null;
  requestNumber: number | null;
};

export type ReviewItemDetail = {
  id: string;
  campaign: { id: string; number: string; name: string; status: "ACTIVE" | "CLOSED"; deadlineAt: Date; stages: number };
  facts: ItemFacts;
  roles: { code: string; name: string; permissions: { code: string; name: string; sensitivity: string; operation?: string }[] }[];
  isSensitive: boolean;
  isThirdParty: boolean;
  hasGrant: boolean;
  recommendation: string | null;
  recommendationParams: Record<string, string | number | null> | null;
  stage: number;
  reviewer: { id: string; name: string } | null;
  reviewerSource: string;
  routing: { name: string; why?: string; kind: "skipped" | "escalatedFrom" | "reassignedFrom" } | null;
  status: "OPEN" | "DECIDED";
  decision: "KEEP" | "END" | "SHORTEN" | null;
  newEndsAt: Date | null;
  comment: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionSource: string | null;
  applyState: string;
  applyError: string | null;
  remediation: Remediation | null;
  history: {
    stage: number;
    reviewer: string | null;
    onBehalfOf: string | null;
    decision: string;
    newEndsAt: Date | null;
    comment: string | null;
    source: string;
    at: Date;
  }[];
  /** The actor may decide it now (their item or a delegator's, open, not conflicted, campaign active). */
  mayDecide: boolean;
  /** Whom the actor would decide it for (a delegator), when not themselves. */
  onBehalfOf: string | null;
  /** The actor may hand it to someone else (its reviewer, or a manager of its campaign). */
  mayReassign: boolean;
};

function mayManage(actor: Actor, systemId: string) {
  try {
    assertMayReview(actor, [systemId]);
    return true;
  } catch {
    return false;
  }
}

/**
 * One review item for the actor, or NOT_FOUND (never a hint it exists): its reviewer or their delegate,
 * anyone who decided it, managers of its campaign's systems, security officers.
 */
export async function getReviewItem(actor: PersonActor, itemId: string, now = new Date()): Promise<ReviewItemDetail> {
  if (!UUID.test(itemId)) throw new DomainError("NOT_FOUND");
  const db = getDb();
  const item = await db.reviewItem.findUnique({
    where: { id: itemId },
    select: {
      id: true,
      campaignId: true,
      systemId: true,
      facts: true,
      isSensitive: true,
      isThirdParty: true,
      grantId: true,
      roleId: true,
      recommendation: true,
      recommendationParams: true,
      stage: true,
      reviewerId: true,
      reviewerSource: true,
      routing: true,
      conflictedIds: true,
      status: true,
      decision: true,
      newEndsAt: true,
      comment: true,
      decidedAt: true,
      decisionSource: true,
      applyState: true,
      applyError: true,
      decidedById: true,
      campaign: { select: { id: true, number: true, name: true, status: true, deadlineAt: true, settings: true } },
      decisions: {
        orderBy: { stage: "asc" },
        select: {
          stage: true,
          reviewerId: true,
          onBehalfOfId: true,
          decision: true,
          newEndsAt: true,
          comment: true,
          source: true,
          createdAt: true,
        },
      },
    },
  });
  if (!item) throw new DomainError("NOT_FOUND");
  const mine = await reviewingFor(actor.personId, now);
  const isReviewer = !!item.reviewerId && mine.includes(item.reviewerId);
  const decidedIt = item.decidedById === actor.personId || item.decisions.some((d) => d.reviewerId === actor.personId);
  const manager = mayManage(actor, item.systemId);
  if (!isReviewer && !decidedIt && !manager && !can(actor, "reviews:quality")) throw new DomainError("NOT_FOUND");

  const routing = (item.routing ?? null) as { skipped?: string; why?: string; escalatedFrom?: string; reassignedFrom?: string } | null;
  const routedId = routing?.skipped ?? routing?.escalatedFrom ?? routing?.reassignedFrom ?? null;
  const peopleIds = [
    ...new Set(
      [item.reviewerId, item.decidedById, routedId, ...item.decisions.flatMap((d) => [d.reviewerId, d.onBehalfOfId])].filter(
        (v): v is string => !!v,
      ),
    ),
  ];
  const [people, roles, remediation] = await Promise.all([
    db.person.findMany({ where: { id: { in: peopleIds } }, select: { id: true, name: true } }),
    db.reviewCampaignRole.findMany({
      where: {
        campaignId: item.campaignId,
        ...(item.roleId
          ? { roleId: item.roleId }
          : { code: { in: (((item.facts as ItemFacts).grant as { roles?: { code: string }[] } | null)?.roles ?? []).map((r) => r.code) } }),
      },
      select: { code: true, name: true, permissions: true },
      orderBy: { code: "asc" },
    }),
    item.applyState === "APPLIED" ? remediationOf([item.id]) : Promise.resolve(new Map<string, Remediation>()),
  ]);
  const name = (id: string | null) => (id ? (people.find((p) => p.id === id)?.name ?? null) : null);
  const stages = ((item.campaign.settings as { stages?: unknown[] }).stages ?? []).length;
  const conflicted = item.conflictedIds.includes(actor.personId);
  return {
    id: item.id,
    campaign: {
      id: item.campaign.id,
      number: formatCampaignNumber(item.campaign.number),
      name: item.campaign.name,
      status: item.campaign.status,
      deadlineAt: item.campaign.deadlineAt,
      stages,
    },
    facts: item.facts as ItemFacts,
    roles: roles.map((r) => ({
      code: r.code,
      name: r.name,
      permissions: r.permissions as ReviewItemDetail["roles"][number]["permissions"],
    })),
    isSensitive: item.isSensitive,
    isThirdParty: item.isThirdParty,
    hasGrant: !!item.grantId,
    recommendation: item.recommendation,
    recommendationParams: item.recommendationParams as ReviewItemDetail["recommendationParams"],
    stage: item.stage,
    reviewer: item.reviewerId ? { id: item.reviewerId, name: name(item.reviewerId) ?? "" } : null,
    reviewerSource: item.reviewerSource,
    routing: routing
      ? routing.skipped
        ? { kind: "skipped", name: name(routing.skipped) ?? "", why: routing.why }
        : routing.escalatedFrom
          ? { kind: "escalatedFrom", name: name(routing.escalatedFrom) ?? "" }
          : routing.reassignedFrom
            ? { kind: "reassignedFrom", name: name(routing.reassignedFrom) ?? "" }
            : null
      : null,
    status: item.status,
    decision: item.decision,
    newEndsAt: item.newEndsAt,
    comment: item.comment,
    decidedBy: name(item.decidedById),
    decidedAt: item.decidedAt,
    decisionSource: item.decisionSource,
    applyState: item.applyState,
    applyError: item.applyError,
    remediation: remediation.get(item.id) ?? null,
    history: item.decisions.map((d) => ({
      stage: d.stage,
      reviewer: name(d.reviewerId),
      onBehalfOf: name(d.onBehalfOfId),
      decision: d.decision,
      newEndsAt: d.newEndsAt,
      comment: d.comment,
      source: d.source,
      at: d.createdAt,
    })),
    mayDecide: isReviewer && !conflicted && item.status === "OPEN" && item.campaign.status === "ACTIVE",
    onBehalfOf: isReviewer && item.reviewerId !== actor.personId ? name(item.reviewerId) : null,
    mayReassign:
      item.status === "OPEN" && item.campaign.status === "ACTIVE" && (manager || (!!item.reviewerId && item.reviewerId === actor.personId)),
  };
}

/**
 * The reassign picker's typeahead: active people with a usable portal account (whom reassignItems
 * accepts), by name or employee number, 20 at a time in (name, id) keyset order. Only for those who
 * may reassign something: a reviewer with open items, or a manager of reviews.
 */
export async function lookupReviewers(actor: PersonActor, query: LookupQuery, now = new Date()): Promise<LookupPage> {
  if (!can(actor, "reviews:manage") && (await countMyReviews(actor.personId, now)).open === 0) throw new DomainError("FORBIDDEN");
  const where: Prisma.PersonWhereInput[] = [{ status: "ACTIVE", account: { status: { not: "DISABLED" } } }];
  if (query.q)
    where.push({
      OR: [{ name: { contains: query.q, mode: "insensitive" } }, { employeeNo: { startsWith: query.q, mode: "insensitive" } }],
    });
  const cursor = decodeLabelCursor(query.cursor);
  if (cursor) where.push({ OR: [{ name: { gt: cursor.v } }, { name: cursor.v, id: { gt: cursor.id } }] });
  const rows = await getDb().person.findMany({
    where: { AND: where },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: LOOKUP_LIMIT + 1,
    select: { id: true, name: true, employeeNo: true },
  });
  return lookupPage(
    rows,
    (r) => r.name,
    (r) => ({ id: r.id, label: r.name, hint: r.employeeNo }),
  );
}
