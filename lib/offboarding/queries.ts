import { getDb } from "@/lib/db";
import { decodeCursor, encodeCursor, type Page } from "@/lib/http/cursor";
import { APP_TIME_ZONE } from "@/lib/time/calendar";
import type { OffboardingCounts } from "./offboard-people";

// Reads for the offboarding pages: cases newest first in keyset pages, and one case's receipt — each
// business system where the person has an account, what the portal asked of it and how far it got.

export const CASES_PAGE = 50;

export type CaseRow = {
  id: string;
  number: number;
  status: "SCHEDULED" | "COMPLETED" | "CANCELLED";
  source: "HR" | "VENDOR" | "CONTRACT";
  personId: string;
  personName: string;
  employeeNo: string;
  orgUnit: string;
  effectiveAt: Date;
  executedAt: Date | null;
  requestedAt: Date;
  lastError: string | null;
  // Systems of the case with a change still on its way (pending or given up) or a manual task not yet verified.
  open: number;
};

export type CaseFilter = { status?: "SCHEDULED" | "COMPLETED" | "CANCELLED" | "OPEN"; batchId?: string };

type Cursor = [string, string];
const isCursor = (v: unknown): v is Cursor =>
  Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && typeof v[1] === "string" && !Number.isNaN(Date.parse(v[0]));

/**
 * Cases newest first (requested_at, id), 50 a page. "OPEN" = waiting for its date, or run but with a
 * system that has not confirmed yet.
 */
export async function listCases(filter: CaseFilter, cursor?: string | null): Promise<Page<CaseRow>> {
  const after = decodeCursor(cursor, isCursor);
  const status = filter.status === "OPEN" ? null : (filter.status ?? null);
  const rows = await getDb().$queryRaw<CaseRow[]>`
    SELECT c.id::text, c.number, c.status::text, c.source::text, p.id::text AS "personId", p.name AS "personName",
           p.employee_no AS "employeeNo", u.name AS "orgUnit", c.effective_at AS "effectiveAt", c.executed_at AS "executedAt",
           c.requested_at AS "requestedAt", c.last_error AS "lastError", o.open
    FROM offboarding_case c
    JOIN person p ON p.id = c.person_id
    JOIN org_unit u ON u.id = p.org_unit_id
    CROSS JOIN LATERAL (
      SELECT count(DISTINCT x.system_id)::int AS open
      FROM provisioning_outbox x LEFT JOIN provisioning_task t ON t.outbox_id = x.id
      WHERE x.offboarding_case_id = c.id AND (x.status <> 'DELIVERED' OR (t.id IS NOT NULL AND t.status <> 'VERIFIED'))) o
    WHERE (${status}::text IS NULL OR c.status::text = ${status}::text)
      AND (${filter.batchId ?? null}::uuid IS NULL OR c.batch_id = ${filter.batchId ?? null}::uuid)
      AND (${after?.[0] ?? null}::timestamptz IS NULL OR (c.requested_at, c.id) < (${after?.[0] ?? null}::timestamptz, ${after?.[1] ?? null}::uuid))
      AND (${filter.status === "OPEN"} = false OR c.status = 'SCHEDULED' OR (c.status = 'COMPLETED' AND o.open > 0))
    ORDER BY c.requested_at DESC, c.id DESC
    LIMIT ${CASES_PAGE + 1}`;
  const more = rows.length > CASES_PAGE;
  const page = rows.slice(0, CASES_PAGE);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: more && last ? encodeCursor([last.requestedAt.toISOString(), last.id]) : null };
}

/** Where one system stands for one case. */
export type ReceiptState =
  // The system is not connected: its administrators change it by hand and nothing confirms it.
  | "NOT_TRACKED"
  // Nothing had to be sent (the account was already disabled and held nothing).
  | "NOTHING_TO_SEND"
  | "SENDING"
  | "CONFIRMED"
  | "DEAD_LETTERED"
  | "TASK_OPEN"
  | "TASK_DONE"
  | "VERIFIED";

export type ReceiptLine = {
  systemId: string;
  systemCode: string;
  systemName: string;
  connector: "SCIM" | "MANUAL" | null;
  loginName: string;
  accountStatus: string;
  // What was asked: the outbox operations of the case for this account, e.g. {"grant.revoked": 3}.
  asked: Record<string, number>;
  attempts: number;
  lastError: string | null;
  sentAt: Date | null;
  confirmedAt: Date | null;
  taskDoneAt: Date | null;
  taskNote: string | null;
  state: ReceiptState;
};

export type Receipt = {
  id: string;
  number: number;
  status: "SCHEDULED" | "COMPLETED" | "CANCELLED";
  source: "HR" | "VENDOR" | "CONTRACT";
  batchId: string | null;
  vendorName: string | null;
  person: { id: string; name: string; employeeNo: string; orgUnit: string; employmentType: string };
  reason: string;
  lastWorkingDay: Date | null;
  effectiveAt: Date;
  requestedAt: Date;
  requestedBy: string | null;
  executedAt: Date | null;
  cancelledAt: Date | null;
  lastError: string | null;
  counts: OffboardingCounts | null;
  lines: ReceiptLine[];
  // Time from the case's effective moment to zero access in the portal, and to the last system's
  // confirmation (null while any tracked system has not confirmed).
  portalMs: number | null;
  lastConfirmedAt: Date | null;
  allConfirmedMs: number | null;
};

type LineRow = Omit<ReceiptLine, "state" | "asked"> & {
  isConnected: boolean;
  asked: Record<string, number> | null;
  rows: number;
  delivered: number;
  failed: number;
  tasks: number;
  tasksOpen: number;
  tasksVerified: number;
  verifiedAt: Date | null;
};

function stateOf(l: LineRow): ReceiptState {
  if (l.connector === "MANUAL" && l.tasks > 0) {
    if (l.tasksVerified === l.tasks) return "VERIFIED";
    return l.tasksOpen > 0 ? "TASK_OPEN" : "TASK_DONE";
  }
  if (!l.isConnected) return "NOT_TRACKED";
  if (l.rows === 0) return "NOTHING_TO_SEND";
  if (l.failed > 0) return "DEAD_LETTERED";
  if (l.connector === "MANUAL") return "SENDING";
  return l.delivered === l.rows ? "CONFIRMED" : "SENDING";
}

const CONFIRMED: readonly ReceiptState[] = ["CONFIRMED", "VERIFIED", "NOTHING_TO_SEND"];

export async function getReceipt(caseId: string): Promise<Receipt | null> {
  const db = getDb();
  const c = await db.offboardingCase.findUnique({
    where: { id: caseId },
    select: {
      id: true,
      number: true,
      status: true,
      source: true,
      batchId: true,
      vendorId: true,
      reason: true,
      lastWorkingDay: true,
      effectiveAt: true,
      requestedAt: true,
      requestedById: true,
      executedAt: true,
      cancelledAt: true,
      lastError: true,
      counts: true,
      person: { select: { id: true, name: true, employeeNo: true, employmentType: true, orgUnit: { select: { name: true } } } },
    },
  });
  if (!c) return null;
  const [requestedBy, vendor] = await Promise.all([
    c.requestedById ? db.person.findUnique({ where: { id: c.requestedById }, select: { name: true, employeeNo: true } }) : null,
    c.vendorId ? db.vendor.findUnique({ where: { id: c.vendorId }, select: { name: true } }) : null,
  ]);
  // Every account the person has (a case is about all of them), with the case's outbox rows and tasks.
  const rows = await db.$queryRaw<LineRow[]>`
    SELECT s.system_id::text AS "systemId", bs.code AS "systemCode", bs.name AS "systemName", bs.is_connected AS "isConnected",
           sc.kind::text AS connector, s.login_name AS "loginName", s.status::text AS "accountStatus",
           o.asked, COALESCE(o.rows, 0)::int AS rows, COALESCE(o.delivered, 0)::int AS delivered, COALESCE(o.failed, 0)::int AS failed,
           COALESCE(o.attempts, 0)::int AS attempts, o.last_error AS "lastError", o.sent_at AS "sentAt",
           CASE WHEN o.rows > 0 AND o.delivered = o.rows THEN o.confirmed_at END AS "confirmedAt",
           COALESCE(t.tasks, 0)::int AS tasks, COALESCE(t.open, 0)::int AS "tasksOpen", COALESCE(t.verified, 0)::int AS "tasksVerified",
           t.done_at AS "taskDoneAt", t.note AS "taskNote", CASE WHEN t.tasks > 0 AND t.verified = t.tasks THEN t.verified_at END AS "verifiedAt"
    FROM slave_account s
    JOIN business_system bs ON bs.id = s.system_id
    LEFT JOIN system_connector sc ON sc.system_id = s.system_id
    LEFT JOIN LATERAL (
      SELECT count(*) AS rows, count(*) FILTER (WHERE x.status = 'DELIVERED') AS delivered,
             count(*) FILTER (WHERE x.status = 'FAILED') AS failed, sum(x.attempts) AS attempts,
             max(x.last_error) AS last_error, max(x.delivered_at) AS confirmed_at,
             (SELECT min(a.at) FROM provisioning_attempt a JOIN provisioning_outbox y ON y.id = a.outbox_id
              WHERE y.offboarding_case_id = ${c.id}::uuid AND y.slave_account_id = s.id) AS sent_at,
             (SELECT jsonb_object_agg(op, n) FROM (
                SELECT y.operation AS op, count(*) AS n FROM provisioning_outbox y
                WHERE y.offboarding_case_id = ${c.id}::uuid AND y.slave_account_id = s.id GROUP BY y.operation) q) AS asked
      FROM provisioning_outbox x WHERE x.offboarding_case_id = ${c.id}::uuid AND x.slave_account_id = s.id) o ON true
    LEFT JOIN LATERAL (
      SELECT count(*) AS tasks, count(*) FILTER (WHERE pt.status = 'OPEN') AS open, count(*) FILTER (WHERE pt.status = 'VERIFIED') AS verified,
             max(pt.done_at) AS done_at, max(pt.note) AS note, max(pt.verified_at) AS verified_at
      FROM provisioning_task pt JOIN provisioning_outbox y ON y.id = pt.outbox_id
      WHERE y.offboarding_case_id = ${c.id}::uuid AND y.slave_account_id = s.id) t ON true
    WHERE s.person_id = ${c.person.id}::uuid
    ORDER BY bs.code, s.login_name`;
  const lines: ReceiptLine[] = rows.map((r) => {
    const state = stateOf(r);
    return {
      systemId: r.systemId,
      systemCode: r.systemCode,
      systemName: r.systemName,
      connector: r.connector,
      loginName: r.loginName,
      accountStatus: r.accountStatus,
      asked: r.asked ?? {},
      attempts: r.attempts,
      lastError: r.lastError,
      sentAt: r.sentAt,
      confirmedAt: state === "VERIFIED" ? r.verifiedAt : state === "CONFIRMED" ? r.confirmedAt : null,
      taskDoneAt: r.taskDoneAt,
      taskNote: r.taskNote,
      state,
    };
  });
  const tracked = lines.filter((l) => l.state !== "NOT_TRACKED");
  const allConfirmed = c.status === "COMPLETED" && tracked.every((l) => CONFIRMED.includes(l.state));
  const times = tracked.map((l) => l.confirmedAt?.getTime() ?? 0);
  const lastConfirmedAt = allConfirmed ? new Date(Math.max(c.executedAt!.getTime(), ...times)) : null;
  return {
    id: c.id,
    number: c.number,
    status: c.status,
    source: c.source,
    batchId: c.batchId,
    vendorName: vendor?.name ?? null,
    person: {
      id: c.person.id,
      name: c.person.name,
      employeeNo: c.person.employeeNo,
      orgUnit: c.person.orgUnit.name,
      employmentType: c.person.employmentType,
    },
    reason: c.reason,
    lastWorkingDay: c.lastWorkingDay,
    effectiveAt: c.effectiveAt,
    requestedAt: c.requestedAt,
    requestedBy: requestedBy ? `${requestedBy.name} (${requestedBy.employeeNo})` : null,
    executedAt: c.executedAt,
    cancelledAt: c.cancelledAt,
    lastError: c.lastError,
    counts: (c.counts as OffboardingCounts | null) ?? null,
    lines,
    portalMs: c.executedAt ? Math.max(0, c.executedAt.getTime() - c.effectiveAt.getTime()) : null,
    lastConfirmedAt,
    allConfirmedMs: lastConfirmedAt ? Math.max(0, lastConfirmedAt.getTime() - c.effectiveAt.getTime()) : null,
  };
}

export type OffboardingDashboard = {
  scheduled: number;
  // Completed cases with a system that has not confirmed yet.
  unconfirmed: number;
  // Outbox rows of cases given up (dead-lettered) or still pending after an hour.
  stuckDeliveries: number;
  // Manual tasks of cases open for more than a day.
  overdueTasks: number;
  weeks: { week: string; cases: number; confirmed: number; portalMedianMs: number; confirmedMedianMs: number | null }[];
};

const HOUR_MS = 3_600_000;

/**
 * The offboarding dashboard (HR, security): what is open or stuck now, and per week (Monday, in the
 * portal's time zone) over the last 12 weeks the cases run, how many every system confirmed, and the
 * median times from the effective moment to zero access in the portal and to the last confirmation.
 * Set-based: a handful of aggregate queries over the cases of the window and their outbox rows.
 */
export async function offboardingDashboard(now = new Date(), timeZone = APP_TIME_ZONE): Promise<OffboardingDashboard> {
  const db = getDb();
  const since = new Date(now.getTime() - 12 * 7 * 24 * HOUR_MS);
  const [counts] = await db.$queryRaw<{ scheduled: number; stuck: number; overdue: number }[]>`
    SELECT (SELECT count(*) FROM offboarding_case WHERE status = 'SCHEDULED')::int AS scheduled,
           (SELECT count(*) FROM provisioning_outbox x
            WHERE x.offboarding_case_id IS NOT NULL
              AND (x.status = 'FAILED' OR (x.status = 'PENDING' AND x.created_at < ${new Date(now.getTime() - HOUR_MS)})))::int AS stuck,
           (SELECT count(*) FROM provisioning_task t JOIN provisioning_outbox x ON x.id = t.outbox_id
            WHERE x.offboarding_case_id IS NOT NULL AND t.status = 'OPEN' AND t.created_at < ${new Date(now.getTime() - 24 * HOUR_MS)})::int AS overdue`;
  const weeks = await db.$queryRaw<
    { week: string; cases: number; confirmed: number; portal_ms: number; confirmed_ms: number | null; unconfirmed: number }[]
  >`
    WITH c AS (
      SELECT id, effective_at, executed_at FROM offboarding_case
      WHERE status = 'COMPLETED' AND executed_at >= ${since}
    ), o AS (
      SELECT x.offboarding_case_id AS id,
             bool_and(x.status = 'DELIVERED' AND (t.id IS NULL OR t.status = 'VERIFIED')) AS done,
             max(GREATEST(x.delivered_at, t.verified_at)) AS last
      FROM provisioning_outbox x LEFT JOIN provisioning_task t ON t.outbox_id = x.id
      WHERE x.offboarding_case_id IN (SELECT id FROM c)
      GROUP BY x.offboarding_case_id
    ), per AS (
      SELECT c.*, COALESCE(o.done, true) AS done, GREATEST(COALESCE(o.last, c.executed_at), c.executed_at) AS last FROM c LEFT JOIN o ON o.id = c.id
    )
    SELECT to_char(date_trunc('week', executed_at AT TIME ZONE ${timeZone}), 'YYYY-MM-DD') AS week,
           count(*)::int AS cases, count(*) FILTER (WHERE done)::int AS confirmed,
           count(*) FILTER (WHERE NOT done)::int AS unconfirmed,
           (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM executed_at - effective_at) * 1000))::float8 AS portal_ms,
           (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM last - effective_at) * 1000) FILTER (WHERE done))::float8 AS confirmed_ms
    FROM per GROUP BY 1 ORDER BY 1`;
  const [open] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(DISTINCT x.offboarding_case_id)::int AS n FROM provisioning_outbox x LEFT JOIN provisioning_task t ON t.outbox_id = x.id
    WHERE x.offboarding_case_id IS NOT NULL AND (x.status <> 'DELIVERED' OR (t.id IS NOT NULL AND t.status <> 'VERIFIED'))`;
  return {
    scheduled: counts?.scheduled ?? 0,
    unconfirmed: open?.n ?? 0,
    stuckDeliveries: counts?.stuck ?? 0,
    overdueTasks: counts?.overdue ?? 0,
    weeks: weeks.map((w) => ({
      week: w.week,
      cases: w.cases,
      confirmed: w.confirmed,
      portalMedianMs: Math.max(0, w.portal_ms ?? 0),
      confirmedMedianMs: w.confirmed_ms === null ? null : Math.max(0, w.confirmed_ms),
    })),
  };
}

/** The person the offboarding form is for (its page checks HR's scope with the unit's path). */
export async function offboardingTarget(personId: string) {
  return getDb().person.findUnique({
    where: { id: personId },
    select: { id: true, name: true, employeeNo: true, status: true, orgUnit: { select: { path: true } } },
  });
}

/** A vendor preselected on the vendor offboarding form. */
export async function vendorChoice(vendorId: string) {
  return getDb().vendor.findUnique({ where: { id: vendorId }, select: { id: true, name: true } });
}

/** A person's newest case, for the link on their page. */
export async function latestCaseOf(personId: string) {
  return getDb().offboardingCase.findFirst({
    where: { personId },
    orderBy: [{ requestedAt: "desc" }, { id: "desc" }],
    select: { id: true, number: true, status: true },
  });
}
