import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { INCOMPATIBLE_PORTAL_ROLES } from "@/lib/authz/permissions";
import type { PortalRole } from "@/lib/generated/prisma/enums";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { notify } from "@/lib/notifications/notify";
import { getRequestSettings, type RequestSettings } from "@/lib/policy/request-settings";
import { formatRequestNumber } from "./workflow";

// Approval jobs (issue 4 item 4), run by the scheduler: reminders to approvers who have not decided,
// and escalation of stages that waited too long to the approvers' heads. Both pick their stages
// set-based with FOR UPDATE SKIP LOCKED (several processes never handle one stage twice), write their
// changes in one statement each, notify per stage (the notification carries that request's number)
// and write one audit row per batch.

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

type StageRequestRow = {
  stage_id: string;
  request_id: string;
  number: number;
  activated_at: Date;
  system: string;
  role: string | null;
  subject: string;
  requester: string;
};

/** The notification parameters of these stages' requests, as lib/requests/workflow.ts names them. */
async function stageRequests(tx: Tx, stageIds: readonly string[]): Promise<StageRequestRow[]> {
  return tx.$queryRaw<StageRequestRow[]>`
    SELECT s.id::text AS stage_id, r.id::text AS request_id, r.number, s.activated_at,
           sys.name AS system, jr.name AS role, subj.name AS subject, req.name AS requester
    FROM request_stage s
    JOIN access_request r ON r.id = s.request_id
    JOIN business_system sys ON sys.id = r.system_id
    LEFT JOIN job_role jr ON jr.id = r.role_id
    JOIN person subj ON subj.id = r.subject_id
    JOIN person req ON req.id = r.requester_id
    WHERE s.id = ANY(${[...stageIds]}::uuid[])
    ORDER BY s.activated_at`;
}

/** Map.groupBy (Node 20 lacks it). */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

function params(row: StageRequestRow, extra: Record<string, string | number>) {
  return {
    number: formatRequestNumber(row.number),
    role: row.role ?? "",
    system: row.system,
    subject: row.subject,
    requester: row.requester,
    ...extra,
  };
}

/**
 * Reminds the open approvers of every active stage that has waited more than reminderAfterHours
 * without being decided; again at most once a day (request_stage.reminded_at). Returns the number of
 * stages reminded.
 */
export async function remindApprovers(
  tx: Tx,
  actor: Actor,
  now = new Date(),
  settings?: RequestSettings,
  batchSize = 200,
): Promise<number> {
  const { reminderAfterHours } = settings ?? (await getRequestSettings(tx));
  const waitedSince = new Date(now.getTime() - reminderAfterHours * HOUR_MS);
  const lastReminderBefore = new Date(now.getTime() - DAY_MS);
  const due = await tx.$queryRaw<{ id: string }[]>`
    UPDATE request_stage SET reminded_at = ${now}
    WHERE id IN (
      SELECT s.id FROM request_stage s
      JOIN access_request r ON r.id = s.request_id
      WHERE s.status = 'ACTIVE' AND s.activated_at <= ${waitedSince}
        AND (s.reminded_at IS NULL OR s.reminded_at <= ${lastReminderBefore})
        AND r.status = 'PENDING' AND r.expires_at > ${now}
      ORDER BY s.activated_at
      LIMIT ${batchSize}
      FOR UPDATE OF s SKIP LOCKED)
    RETURNING id::text AS id`;
  if (!due.length) return 0;
  const stageIds = due.map((d) => d.id);
  const approvers = await tx.$queryRaw<{ stage_id: string; approver_id: string }[]>`
    SELECT stage_id::text AS stage_id, approver_id::text AS approver_id FROM stage_approver
    WHERE stage_id = ANY(${stageIds}::uuid[]) AND is_open`;
  const byStage = groupBy(approvers, (a) => a.stage_id);
  let reminded = 0;
  for (const row of await stageRequests(tx, stageIds)) {
    const recipients = (byStage.get(row.stage_id) ?? []).map((a) => a.approver_id);
    if (!recipients.length) continue;
    reminded += recipients.length;
    const hours = Math.floor((now.getTime() - row.activated_at.getTime()) / HOUR_MS);
    await notify(tx, {
      recipientIds: recipients,
      kind: "request-reminder",
      params: params(row, { hours }),
      link: `/requests/${row.request_id}`,
    });
  }
  await recordAuditEvent(tx, actor, {
    action: "request.reminded",
    target: { type: "request", id: null },
    summary: { stages: stageIds.length, approversReminded: reminded, stageIds },
    reason: `no decision after ${reminderAfterHours} hours`,
  });
  return stageIds.length;
}

/** The portal roles that may not decide a stage of this kind (separation of duties, as for delegation). */
function blockedRolesFor(acting: PortalRole): string[] {
  return INCOMPATIBLE_PORTAL_ROLES.flatMap(([a, b]) => (a === acting ? [b] : b === acting ? [a] : []));
}

/**
 * Escalates every active stage undecided after escalateAfterDays, once (request_stage.escalated_at):
 * each of its own approvers who has not decided gets their head added as an approver (StageApprover
 * source ESCALATED, acting on behalf of that approver) — the nearest head up the org tree who is
 * active, is not the approver, the requester or the subject, is not already on the stage, has not
 * decided another stage of the request, and holds no portal role incompatible with the stage (no
 * account administrator on a security stage, no security officer on a system-owner stage). The heads
 * are told; the approvers keep their seats. Returns the number of stages escalated.
 */
export async function escalateStages(tx: Tx, actor: Actor, now = new Date(), settings?: RequestSettings, batchSize = 200): Promise<number> {
  const { escalateAfterDays } = settings ?? (await getRequestSettings(tx));
  const waitedSince = new Date(now.getTime() - escalateAfterDays * DAY_MS);
  const due = await tx.$queryRaw<{ id: string }[]>`
    UPDATE request_stage SET escalated_at = ${now}
    WHERE id IN (
      SELECT s.id FROM request_stage s
      JOIN access_request r ON r.id = s.request_id
      WHERE s.status = 'ACTIVE' AND s.escalated_at IS NULL AND s.activated_at <= ${waitedSince}
        AND r.status = 'PENDING' AND r.expires_at > ${now}
      ORDER BY s.activated_at
      LIMIT ${batchSize}
      FOR UPDATE OF s SKIP LOCKED)
    RETURNING id::text AS id`;
  if (!due.length) return 0;
  const stageIds = due.map((d) => d.id);
  const blockedOnSecurity = blockedRolesFor("SECURITY_OFFICER");
  const blockedOnOwner = blockedRolesFor("ACCOUNT_ADMIN");
  // An org unit's path lists its ancestors' ids root first ("/<root>/…/<self>/"): nearest head = the
  // highest ordinality that qualifies.
  const added = await tx.$queryRaw<{ stage_id: string; request_id: string; approver_id: string; on_behalf_of_id: string }[]>`
    WITH principals AS (
      SELECT sa.stage_id, sa.request_id, sa.approver_id, sa.request_created_at, r.requester_id, r.subject_id, s.kind, u.path
      FROM stage_approver sa
      JOIN request_stage s ON s.id = sa.stage_id
      JOIN access_request r ON r.id = sa.request_id
      JOIN person p ON p.id = sa.approver_id
      JOIN org_unit u ON u.id = p.org_unit_id
      WHERE sa.stage_id = ANY(${stageIds}::uuid[]) AND sa.is_open AND sa.source IN ('RESOLVED', 'ROUTED_UP', 'ROOT_APPROVER', 'TOP_OF_TREE')
    ), candidates AS (
      SELECT DISTINCT ON (pr.stage_id, pr.approver_id) pr.stage_id, pr.request_id, pr.approver_id, pr.request_created_at, u.head_id
      FROM principals pr
      CROSS JOIN LATERAL unnest(string_to_array(trim(both '/' from pr.path), '/')) WITH ORDINALITY AS a(unit_id, depth)
      JOIN org_unit u ON u.id = a.unit_id::uuid
      JOIN person h ON h.id = u.head_id AND h.status = 'ACTIVE'
      JOIN master_account ma ON ma.person_id = h.id AND ma.status <> 'DISABLED'
      WHERE u.head_id NOT IN (pr.approver_id, pr.requester_id, pr.subject_id)
        AND NOT EXISTS (SELECT 1 FROM stage_approver x WHERE x.stage_id = pr.stage_id AND x.approver_id = u.head_id)
        AND NOT EXISTS (SELECT 1 FROM approval_decision d WHERE d.request_id = pr.request_id AND d.approver_id = u.head_id)
        AND NOT EXISTS (
          SELECT 1 FROM portal_role_assignment pra
          WHERE pra.person_id = u.head_id
            AND pra.role::text = ANY(CASE pr.kind WHEN 'SECURITY' THEN ${blockedOnSecurity}::text[] WHEN 'SYSTEM_OWNER' THEN ${blockedOnOwner}::text[] ELSE '{}'::text[] END))
      ORDER BY pr.stage_id, pr.approver_id, a.depth DESC
    )
    INSERT INTO stage_approver (id, stage_id, request_id, approver_id, on_behalf_of_id, delegation_id, source, is_open, request_created_at, created_at)
    SELECT gen_random_uuid(), stage_id, request_id, head_id, approver_id, NULL, 'ESCALATED', true, request_created_at, ${now} FROM candidates
    ON CONFLICT (stage_id, approver_id) DO NOTHING
    RETURNING stage_id::text AS stage_id, request_id::text AS request_id, approver_id::text AS approver_id, on_behalf_of_id::text AS on_behalf_of_id`;

  const byStage = groupBy(added, (a) => a.stage_id);
  const overIds = [...new Set(added.map((a) => a.on_behalf_of_id))];
  const over = new Map(
    (await tx.person.findMany({ where: { id: { in: overIds } }, select: { id: true, name: true } })).map((p) => [p.id, p.name]),
  );
  for (const row of await stageRequests(tx, stageIds)) {
    const heads = byStage.get(row.stage_id) ?? [];
    if (!heads.length) continue;
    const days = Math.floor((now.getTime() - row.activated_at.getTime()) / DAY_MS);
    const names = [...new Set(heads.map((h) => over.get(h.on_behalf_of_id) ?? ""))].filter(Boolean).join(", ");
    await notify(tx, {
      recipientIds: heads.map((h) => h.approver_id),
      kind: "request-escalated",
      params: params(row, { days, over: names }),
      link: `/requests/${row.request_id}`,
    });
  }
  await recordAuditEvent(tx, actor, {
    action: "request.escalated",
    target: { type: "request", id: null },
    summary: {
      stages: stageIds.length,
      stageIds,
      added: added.map((a) => ({ stageId: a.stage_id, approverId: a.approver_id, onBehalfOfId: a.on_behalf_of_id })),
      withoutHead: stageIds.filter((id) => !byStage.has(id)).length,
    },
    reason: `no decision after ${escalateAfterDays} days`,
  });
  return stageIds.length;
}
