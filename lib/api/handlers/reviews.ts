import type { Tx } from "@/lib/db";
import { getDb } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { DomainError } from "@/lib/errors";
import type { ApiHandlerContext, ApiHandlerResult } from "@/lib/http/api";
import { encodeCursor } from "@/lib/http/cursor";
import { decideItem } from "@/lib/reviews/decide";
import { formatCampaignNumber } from "@/lib/reviews/schemas";
import type { decideReviewItem, listReviewCampaigns, listReviewItems } from "../routes";
import type { ItemView } from "../review-schemas";
import { withApiFieldNames } from "./fields";

type ListCampaigns = typeof listReviewCampaigns;
type ListItems = typeof listReviewItems;
type Decide = typeof decideReviewItem;

/** GET /reviews/campaigns: campaigns with items in the token's systems, newest first, counted there. */
export async function listReviewCampaignsHandler(ctx: ApiHandlerContext<ListCampaigns>): Promise<ApiHandlerResult<ListCampaigns>> {
  const { query, token } = ctx;
  const status = query.status ? Prisma.sql`AND c.status = ${query.status}::"ReviewCampaignStatus"` : Prisma.empty;
  const after = query.cursor ? Prisma.sql`AND c.id < ${query.cursor}::uuid` : Prisma.empty;
  const rows = await getDb().$queryRaw<
    {
      id: string;
      number: number;
      name: string;
      status: "ACTIVE" | "CLOSED";
      started_at: Date;
      deadline_at: Date;
      closed_at: Date | null;
      items: number;
      decided: number;
    }[]
  >`
    SELECT c.id::text, c.number, c.name, c.status::text, c.started_at, c.deadline_at, c.closed_at, n.items, n.decided
    FROM review_campaign c
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS items, count(*) FILTER (WHERE i.status = 'DECIDED')::int AS decided FROM review_item i
      WHERE i.campaign_id = c.id AND i.system_id = ANY(${token.systemIds}::uuid[])) n
    WHERE n.items > 0 ${status} ${after}
    ORDER BY c.id DESC LIMIT ${query.limit + 1}`;
  const page = rows.slice(0, query.limit);
  return {
    body: {
      data: page.map((r) => ({
        id: r.id,
        number: formatCampaignNumber(r.number),
        name: r.name,
        status: r.status,
        startedAt: r.started_at.toISOString(),
        deadlineAt: r.deadline_at.toISOString(),
        closedAt: r.closed_at?.toISOString() ?? null,
        items: r.items,
        decided: r.decided,
      })),
      nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1]!.id) : null,
    },
  };
}

type ItemRow = {
  id: string;
  campaign_id: string;
  person_no: string | null;
  person_name: string | null;
  system_code: string;
  login_name: string;
  role_code: string | null;
  is_sensitive: boolean;
  is_third_party: boolean;
  recommendation: ItemView["recommendation"];
  stage: number;
  reviewer_no: string | null;
  reviewer_name: string | null;
  status: "OPEN" | "DECIDED";
  decision: ItemView["decision"];
  new_ends_at: Date | null;
  comment: string | null;
  decider_no: string | null;
  decider_name: string | null;
  decided_at: Date | null;
  decision_source: ItemView["decisionSource"];
  apply_state: ItemView["applied"];
};

async function loadItems(db: Tx | ReturnType<typeof getDb>, where: Prisma.Sql, limit: number): Promise<ItemView[]> {
  const rows = await db.$queryRaw<ItemRow[]>`
    SELECT i.id::text, i.campaign_id::text, p.employee_no AS person_no, p.name AS person_name, bs.code AS system_code, s.login_name,
           r.code AS role_code, i.is_sensitive, i.is_third_party, i.recommendation, i.stage, rv.employee_no AS reviewer_no,
           rv.name AS reviewer_name, i.status::text, i.decision::text, i.new_ends_at, i.comment, d.employee_no AS decider_no,
           d.name AS decider_name, i.decided_at, i.decision_source::text, i.apply_state::text
    FROM review_item i
    JOIN business_system bs ON bs.id = i.system_id
    JOIN slave_account s ON s.id = i.slave_account_id
    LEFT JOIN job_role r ON r.id = i.role_id
    LEFT JOIN person p ON p.id = i.person_id
    LEFT JOIN person rv ON rv.id = i.reviewer_id
    LEFT JOIN person d ON d.id = i.decided_by_id
    WHERE ${where}
    ORDER BY i.id LIMIT ${limit}`;
  const ref = (no: string | null, name: string | null) => (no && name ? { employeeNo: no, name } : null);
  return rows.map((r) => ({
    id: r.id,
    campaignId: r.campaign_id,
    person: ref(r.person_no, r.person_name),
    system: { code: r.system_code },
    account: { loginName: r.login_name },
    role: r.role_code ? { code: r.role_code } : null,
    sensitive: r.is_sensitive,
    thirdParty: r.is_third_party,
    recommendation: r.recommendation,
    stage: r.stage + 1,
    reviewer: ref(r.reviewer_no, r.reviewer_name),
    status: r.status,
    decision: r.decision,
    newEndsAt: r.new_ends_at?.toISOString() ?? null,
    comment: r.comment,
    decidedBy: ref(r.decider_no, r.decider_name),
    decidedAt: r.decided_at?.toISOString() ?? null,
    decisionSource: r.decision_source,
    applied: r.apply_state,
  }));
}

/** GET /reviews/campaigns/{id}/items: the campaign's items in the token's systems, a page at a time. */
export async function listReviewItemsHandler(ctx: ApiHandlerContext<ListItems>): Promise<ApiHandlerResult<ListItems>> {
  const { query, token, params } = ctx;
  const exists = await getDb().reviewCampaign.findUnique({ where: { id: params.id }, select: { id: true } });
  if (!exists) throw new DomainError("NOT_FOUND", { field: "id" });
  const parts = [Prisma.sql`i.campaign_id = ${params.id}::uuid`, Prisma.sql`i.system_id = ANY(${token.systemIds}::uuid[])`];
  if (query.status) parts.push(Prisma.sql`i.status = ${query.status}::"ReviewItemStatus"`);
  if (query.cursor) parts.push(Prisma.sql`i.id > ${query.cursor}::uuid`);
  const rows = await loadItems(getDb(), Prisma.join(parts, " AND "), query.limit + 1);
  const page = rows.slice(0, query.limit);
  return {
    body: { data: page, nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1]!.id) : null },
    resourceId: params.id,
  };
}

/** POST /reviews/items/{id}/decisions: decideItem as the person acting (the item's reviewer or their delegate). */
export async function decideReviewItemHandler(tx: Tx, ctx: ApiHandlerContext<Decide>): Promise<ApiHandlerResult<Decide>> {
  const item = await tx.reviewItem.findUnique({ where: { id: ctx.params.id }, select: { systemId: true } });
  if (!item) throw new DomainError("NOT_FOUND", { field: "id" });
  ctx.requireSystem(item.systemId);
  await withApiFieldNames({ itemId: "id" }, () =>
    decideItem(
      tx,
      ctx.person!,
      { itemId: ctx.params.id, decision: ctx.body.decision, newEndOn: ctx.body.newEndOn ?? undefined, comment: ctx.body.comment },
      ctx.now,
    ),
  );
  const [view] = await loadItems(tx, Prisma.sql`i.id = ${ctx.params.id}::uuid`, 1);
  return { body: view!, resourceId: ctx.params.id };
}
