import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { Prisma } from "@/lib/generated/prisma/client";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getClassificationSettings } from "@/lib/settings/classification";
import { addDays, dayIn, zonedMidnight } from "@/lib/time/calendar";
import { eligiblePeople } from "@/lib/requests/approvers";
import { notify } from "@/lib/notifications/notify";
import { pickReviewer, reviewerCtes, reviewerJoins } from "./reviewers";
import { CampaignSettings, formatCampaignNumber, type ReviewScope } from "./schemas";

/**
 * Starts a campaign of a definition (issue 12 §2): freezes the definition's settings, then in a few
 * set-based statements snapshots every item in scope with the facts a reviewer needs (person,
 * department, job title, employment type, sponsor, contract end, role, granted when/by/why, last
 * login, open findings), its recommendation with the reason, who may never review it (conflicted_ids)
 * and its first-stage reviewer; the roles' permissions with their sensitivity are frozen once per
 * campaign. One transaction with its audit row; a scope that selects nothing is refused
 * (REVIEW_SCOPE_EMPTY) and nothing is written. The caller has authorized the actor (define/start) or
 * is the schedule job. The deadline is the end of the last day: start day + durationDays - 1.
 */
export async function startCampaign(tx: Tx, actor: Actor, definitionId: string, now: Date) {
  const def = await tx.reviewDefinition.findUnique({ where: { id: definitionId } });
  if (!def) throw new DomainError("NOT_FOUND", { field: "definitionId" });
  if (!def.isActive) throw new DomainError("REVIEW_DEFINITION_RETIRED");
  const settings = CampaignSettings.parse({
    scope: def.scope,
    granularity: def.granularity,
    stages: def.stages,
    defaultDecision: def.defaultDecision === "SHORTEN" ? "KEEP" : def.defaultDecision,
    riskyDefault: def.riskyDefault === "SHORTEN" ? "END" : def.riskyDefault,
    applyImmediately: def.applyImmediately,
    inactiveDays: def.inactiveDays,
    contractEndDays: def.contractEndDays,
    remindDaysBefore: def.remindDaysBefore,
    escalateAfterDays: def.escalateAfterDays,
  });
  const today = dayIn(now);
  const deadlineAt = zonedMidnight(addDays(today, def.durationDays));
  const campaign = await tx.reviewCampaign.create({
    data: {
      definitionId: def.id,
      name: def.name,
      settings,
      startedAt: now,
      startedById: actor.kind === "person" ? actor.personId : null,
      deadlineAt,
    },
    select: { id: true, number: true },
  });

  const { sensitiveLevels } = await getClassificationSettings(tx);
  const stage = settings.stages[0]!;
  const named = stage.strategy === "NAMED" ? [...(await eligiblePeople(tx, stage.reviewerIds))] : [];
  const namedOrdered = stage.reviewerIds.filter((id) => named.includes(id));
  const count = await snapshotItems(tx, campaign.id, settings, { sensitiveLevels, named: namedOrdered, now, today });
  if (count === 0) throw new DomainError("REVIEW_SCOPE_EMPTY");

  await tx.$executeRaw`
    INSERT INTO review_campaign_role (campaign_id, role_id, code, name, permissions)
    SELECT ${campaign.id}::uuid, r.id, r.code, r.name,
      COALESCE((SELECT jsonb_agg(jsonb_build_object('code', p.code, 'name', p.name, 'nameEn', p.name_en, 'sensitivity', p.sensitivity,
                                                    'dataKind', p.data_kind, 'operation', p.operation) ORDER BY p.code)
                FROM role_permission rp JOIN permission p ON p.id = rp.permission_id
                WHERE rp.role_id = r.id AND rp.starts_at <= ${now} AND (rp.ends_at IS NULL OR rp.ends_at > ${now})), '[]'::jsonb)
    FROM job_role r
    WHERE r.id IN (SELECT DISTINCT role_id FROM review_item WHERE campaign_id = ${campaign.id}::uuid AND role_id IS NOT NULL)`;
  const [stats] = await tx.$queryRaw<{ reviewers: number; unassigned: number; recommended: number; sensitive: number }[]>`
    SELECT count(DISTINCT reviewer_id)::int AS reviewers, count(*) FILTER (WHERE reviewer_id IS NULL)::int AS unassigned,
           count(*) FILTER (WHERE recommendation IS NOT NULL)::int AS recommended, count(*) FILTER (WHERE is_sensitive)::int AS sensitive
    FROM review_item WHERE campaign_id = ${campaign.id}::uuid`;
  await tx.reviewCampaign.update({ where: { id: campaign.id }, data: { itemCount: count }, select: { id: true } });
  if (def.schedule !== "ONCE") {
    const months = def.schedule === "QUARTERLY" ? 3 : 6;
    await tx.reviewDefinition.update({
      where: { id: def.id },
      data: { nextStartAt: zonedMidnight(addMonths(today, months)) },
      select: { id: true },
    });
  } else if (def.nextStartAt) {
    await tx.reviewDefinition.update({ where: { id: def.id }, data: { nextStartAt: null }, select: { id: true } });
  }
  const reviewers = await tx.$queryRaw<{ id: string }[]>`
    SELECT DISTINCT reviewer_id::text AS id FROM review_item WHERE campaign_id = ${campaign.id}::uuid AND reviewer_id IS NOT NULL`;
  await notify(tx, {
    recipientIds: reviewers.map((r) => r.id),
    kind: "review-started",
    params: { campaign: formatCampaignNumber(campaign.number), name: def.name, deadline: addDays(today, def.durationDays - 1) },
    link: `/reviews/inbox?campaign=${campaign.id}`,
  });
  await recordAuditEvent(tx, actor, {
    action: "review.campaign-started",
    target: { type: "review-campaign", id: campaign.id },
    summary: {
      number: formatCampaignNumber(campaign.number),
      definitionId: def.id,
      items: count,
      reviewers: stats!.reviewers,
      unassigned: stats!.unassigned,
      recommended: stats!.recommended,
      sensitive: stats!.sensitive,
      deadlineAt: deadlineAt.toISOString(),
      scope: settings.scope,
      stages: settings.stages.map((s) => s.strategy),
    },
  });
  return { campaignId: campaign.id, number: campaign.number, items: count, deadlineAt };
}

/** "YYYY-MM-DD" plus whole months (the day clamped to the month's last). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

/**
 * The item ids: PostgreSQL 18's time-ordered uuidv7() where the server has it, so 850,000 inserts
 * append to the id indexes instead of splitting pages all over them; random v4 ids on older servers.
 */
async function newIdFn(tx: Tx): Promise<Prisma.Sql> {
  const [row] = await tx.$queryRaw<{ v: number }[]>`SELECT current_setting('server_version_num')::int AS v`;
  return row && row.v >= 180000 ? Prisma.sql`uuidv7()` : Prisma.sql`gen_random_uuid()`;
}

type SnapshotOptions = { sensitiveLevels: readonly string[]; named: readonly string[]; now: Date; today: string };

/** The scope's WHERE over slave_account s / person p / org unit u (grants and accounts alike). */
function accountScope(scope: ReviewScope, unitPath: string | null): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`s.status <> 'DELETED'`, Prisma.sql`bs.is_active`];
  if (scope.systemIds.length) parts.push(Prisma.sql`s.system_id = ANY(${scope.systemIds}::uuid[])`);
  if (scope.employmentType !== "ANY") parts.push(Prisma.sql`p.employment_type = ${scope.employmentType}::"EmploymentType"`);
  if (unitPath) parts.push(Prisma.sql`u.path LIKE ${unitPath + "%"}`);
  if (scope.personIds.length) parts.push(Prisma.sql`s.person_id = ANY(${scope.personIds}::uuid[])`);
  if (!scope.includeOrphans) parts.push(Prisma.sql`s.person_id IS NOT NULL`);
  return Prisma.join(parts, " AND ");
}

async function snapshotItems(tx: Tx, campaignId: string, settings: CampaignSettings, o: SnapshotOptions): Promise<number> {
  const { scope } = settings;
  let unitPath: string | null = null;
  if (scope.orgUnitId) {
    const unit = await tx.orgUnit.findUnique({ where: { id: scope.orgUnitId }, select: { path: true } });
    if (!unit) throw new DomainError("NOT_FOUND", { field: "scope.orgUnitId" });
    unitPath = unit.path;
  }
  const { now } = o;
  const inactiveSince = new Date(now.getTime() - settings.inactiveDays * 86_400_000);
  const contractHorizon = addDays(o.today, settings.contractEndDays);
  const where = accountScope(scope, unitPath);
  const sensitiveOnly = scope.sensitiveOnly ? Prisma.sql`AND sr.role_id IS NOT NULL` : Prisma.empty;
  const pick = pickReviewer(
    settings.stages[0]!,
    { personId: Prisma.sql`src.person_id`, sponsorId: Prisma.sql`src.sponsor_id`, conflicted: Prisma.sql`src.conflicted` },
    o.named,
  );
  const perAccount = settings.granularity === "ACCOUNT";
  // One source row per live grant in scope, plus (with orphans) each owner-less account without one.
  // ACCOUNT granularity folds a person's grants on one account into one row.
  const inserted = await tx.$executeRaw`
    WITH ${reviewerCtes()},
    sensitive_roles AS (
      SELECT DISTINCT rp.role_id FROM role_permission rp JOIN permission pm ON pm.id = rp.permission_id
      WHERE rp.starts_at <= ${now} AND (rp.ends_at IS NULL OR rp.ends_at > ${now})
        AND pm.sensitivity = ANY(${[...o.sensitiveLevels]}::"Sensitivity"[])),
    movers AS (
      SELECT e.target_id::uuid AS person_id, max(e.occurred_at) AS moved_at FROM audit_event e
      WHERE e.action = 'person.updated' AND e.summary ? 'mover' AND e.target_id ~ '^[0-9a-f-]{36}$'
      GROUP BY e.target_id),
    grants AS (
      SELECT g.id AS grant_id, s.id AS account_id, s.person_id, s.system_id, bs.owner_org_id, p.org_unit_id AS unit_id, p.sponsor_id,
             g.role_id, (sr.role_id IS NOT NULL OR r.is_administrative) AS sensitive,
             COALESCE(p.employment_type = 'THIRD_PARTY', false) AS third_party,
             array_remove(ARRAY[s.person_id, g.granted_by_id, rq.requester_id] || COALESCE(ap.ids, '{}'::uuid[]), NULL) AS conflicted,
             jsonb_build_object('code', r.code, 'name', r.name, 'nameEn', r.name_en, 'administrative', r.is_administrative,
               'startsAt', g.starts_at, 'endsAt', g.ends_at, 'reason', g.reason, 'basis', g.basis, 'grantedById', g.granted_by_id,
               'grantedBy', gb.name, 'requestId', g.request_id, 'requestNumber', rq.number) AS grant_facts,
             fnd.findings,
             g.starts_at, g.request_id, g.basis
      FROM access_grant g
      JOIN slave_account s ON s.id = g.slave_account_id
      JOIN business_system bs ON bs.id = s.system_id
      JOIN job_role r ON r.id = g.role_id
      LEFT JOIN sensitive_roles sr ON sr.role_id = g.role_id
      LEFT JOIN person p ON p.id = s.person_id
      LEFT JOIN org_unit u ON u.id = p.org_unit_id
      LEFT JOIN person gb ON gb.id = g.granted_by_id
      LEFT JOIN access_request rq ON rq.id = g.request_id
      -- Laterals, not scalar subqueries: each value is computed once per grant however often it is read.
      LEFT JOIN LATERAL (
        SELECT array_agg(d.approver_id) AS ids FROM approval_decision d
        WHERE g.request_id IS NOT NULL AND d.request_id = g.request_id AND d.outcome = 'APPROVE') ap ON true
      LEFT JOIN LATERAL (
        SELECT jsonb_agg(jsonb_build_object('code', f.code, 'rule', f.rule) ORDER BY f.code) AS findings FROM policy_finding f
        WHERE f.person_id = s.person_id AND f.grant_id = g.id) fnd ON true
      WHERE g.revoked_at IS NULL AND (g.ends_at IS NULL OR g.ends_at > ${now}) AND ${where} ${sensitiveOnly}),
    src AS MATERIALIZED (
      ${
        perAccount
          ? Prisma.sql`
      SELECT NULL::uuid AS grant_id, gr.account_id, min(gr.person_id::text)::uuid AS person_id, min(gr.system_id::text)::uuid AS system_id,
             min(gr.owner_org_id::text)::uuid AS owner_org_id, min(gr.unit_id::text)::uuid AS unit_id, min(gr.sponsor_id::text)::uuid AS sponsor_id,
             NULL::uuid AS role_id, bool_or(gr.sensitive) AS sensitive, bool_or(gr.third_party) AS third_party,
             ARRAY(SELECT DISTINCT x FROM grants g2 CROSS JOIN LATERAL unnest(g2.conflicted) x WHERE g2.account_id = gr.account_id) AS conflicted,
             jsonb_build_object('roles', jsonb_agg(gr.grant_facts || jsonb_build_object('grantId', gr.grant_id, 'sensitive', gr.sensitive))) AS grant_facts,
             jsonb_agg(gr.findings) FILTER (WHERE gr.findings IS NOT NULL) AS findings,
             min(gr.starts_at) AS starts_at, bool_and(gr.request_id IS NULL AND gr.basis IS NULL) AS outside_request
      FROM grants gr GROUP BY gr.account_id`
          : Prisma.sql`
      SELECT grant_id, account_id, person_id, system_id, owner_org_id, unit_id, sponsor_id, role_id, sensitive, third_party, conflicted,
             grant_facts, findings, starts_at, (request_id IS NULL AND basis IS NULL) AS outside_request FROM grants`
      }
      ${
        scope.includeOrphans
          ? Prisma.sql`
      UNION ALL
      SELECT NULL::uuid, s.id, NULL::uuid, s.system_id, bs.owner_org_id, NULL::uuid, NULL::uuid, NULL::uuid, false, false,
             array_remove(ARRAY[s.created_by_id], NULL), NULL::jsonb, NULL::jsonb, s.created_at, s.basis IS NULL
      FROM slave_account s JOIN business_system bs ON bs.id = s.system_id LEFT JOIN person p ON p.id = s.person_id
      LEFT JOIN org_unit u ON u.id = p.org_unit_id
      WHERE ${where} AND s.person_id IS NULL ${perAccount ? Prisma.empty : Prisma.sql`AND NOT EXISTS (SELECT 1 FROM grants gr WHERE gr.account_id = s.id)`}
        ${perAccount ? Prisma.sql`AND NOT EXISTS (SELECT 1 FROM grants gr WHERE gr.account_id = s.id)` : Prisma.empty}`
          : Prisma.empty
      }
    )
    INSERT INTO review_item (id, campaign_id, slave_account_id, grant_id, person_id, system_id, role_id, is_sensitive, is_third_party,
                             facts, recommendation, recommendation_params, stage, reviewer_id, reviewer_source, routing, conflicted_ids,
                             reviewer_assigned_at, status, apply_state)
    SELECT ${await newIdFn(tx)}, ${campaignId}::uuid, src.account_id, src.grant_id, src.person_id, src.system_id, src.role_id,
           src.sensitive, src.third_party,
           jsonb_build_object(
             'person', CASE WHEN p.id IS NULL THEN NULL ELSE jsonb_build_object(
               'employeeNo', p.employee_no, 'name', p.name, 'status', p.status, 'orgUnitId', u.id, 'orgUnit', u.name, 'orgUnitEn', u.name_en,
               'jobTitle', p.job_title, 'employmentType', p.employment_type, 'vendor', COALESCE(v.name, p.vendor_name),
               'sponsorId', p.sponsor_id, 'sponsor', sp.name, 'contractEndsOn', p.contract_ends_on) END,
             'account', jsonb_build_object('loginName', s.login_name, 'status', s.status, 'lastLoginAt', s.last_login_at,
               'createdAt', s.created_at, 'basis', s.basis),
             'system', jsonb_build_object('code', bs.code, 'name', bs.name, 'nameEn', bs.name_en),
             'grant', src.grant_facts,
             'findings', src.findings),
           rec.code, rec.params, 0, pick.reviewer_id, COALESCE(pick.reviewer_source, 'TOP_OF_TREE'), pick.routing, src.conflicted,
           ${now}, 'OPEN', 'NONE'
    FROM src
    JOIN slave_account s ON s.id = src.account_id
    JOIN business_system bs ON bs.id = src.system_id
    LEFT JOIN person p ON p.id = src.person_id
    LEFT JOIN org_unit u ON u.id = p.org_unit_id
    LEFT JOIN vendor v ON v.id = p.vendor_id
    LEFT JOIN person sp ON sp.id = p.sponsor_id
    LEFT JOIN movers mv ON mv.person_id = src.person_id
    ${reviewerJoins({ unitId: Prisma.sql`src.unit_id`, systemId: Prisma.sql`src.system_id`, ownerOrgId: Prisma.sql`src.owner_org_id` })}
    CROSS JOIN LATERAL (
      SELECT CASE
          WHEN p.id IS NULL THEN 'ORPHAN'
          WHEN p.status <> 'ACTIVE' THEN 'LEAVER'
          WHEN mv.moved_at > src.starts_at THEN 'MOVER'
          WHEN src.findings @> '[{"rule": "R6"}]'::jsonb OR src.findings @> '[[{"rule": "R6"}]]'::jsonb THEN 'SOD'
          WHEN p.employment_type = 'THIRD_PARTY' AND p.contract_ends_on IS NOT NULL AND p.contract_ends_on <= ${contractHorizon}::date THEN 'CONTRACT_ENDING'
          WHEN COALESCE(s.last_login_at, s.created_at) < ${inactiveSince} THEN 'NO_SIGN_IN'
          WHEN src.outside_request THEN 'OUTSIDE_REQUEST'
        END AS code,
        CASE
          WHEN p.id IS NULL THEN NULL
          WHEN p.status <> 'ACTIVE' THEN jsonb_build_object('status', p.status)
          WHEN mv.moved_at > src.starts_at THEN jsonb_build_object('movedAt', mv.moved_at)
          WHEN src.findings @> '[{"rule": "R6"}]'::jsonb OR src.findings @> '[[{"rule": "R6"}]]'::jsonb THEN NULL
          WHEN p.employment_type = 'THIRD_PARTY' AND p.contract_ends_on IS NOT NULL AND p.contract_ends_on <= ${contractHorizon}::date
            THEN jsonb_build_object('contractEndsOn', p.contract_ends_on)
          WHEN COALESCE(s.last_login_at, s.created_at) < ${inactiveSince}
            THEN jsonb_build_object('days', ${settings.inactiveDays}::int, 'lastLoginAt', s.last_login_at)
        END AS params) rec
    LEFT JOIN LATERAL (${pick}) pick ON true`;
  return inserted;
}
