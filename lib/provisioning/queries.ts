import { getDb } from "@/lib/db";
import { decodeCursor, encodeCursor, type Page } from "@/lib/http/cursor";

// Reads for a system's provisioning page: its connector (never the secret), delivery counts, the rows
// that were given up, and the attempt log in keyset pages (newest first).

export const ATTEMPTS_PAGE = 50;

export type ConnectorView = {
  kind: "SCIM" | "MANUAL";
  baseUrl: string | null;
  auth: "BEARER" | "BASIC" | null;
  hasSecret: boolean;
  roleMapping: "ROLES" | "ENTITLEMENTS";
  maxAttempts: number;
  safetyMaxPercent: number;
  heldAt: Date | null;
  heldCount: number;
  consecutiveFailures: number;
  circuitOpenUntil: Date | null;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
};

export async function getConnector(systemId: string): Promise<ConnectorView | null> {
  const c = await getDb().systemConnector.findUnique({ where: { systemId } });
  if (!c) return null;
  return {
    kind: c.kind,
    baseUrl: c.baseUrl,
    auth: c.auth,
    hasSecret: !!c.secretEnc,
    roleMapping: c.roleMapping,
    maxAttempts: c.maxAttempts,
    safetyMaxPercent: c.safetyMaxPercent,
    heldAt: c.heldAt,
    heldCount: c.heldCount,
    consecutiveFailures: c.consecutiveFailures,
    circuitOpenUntil: c.circuitOpenUntil,
    lastSuccessAt: c.lastSuccessAt,
    lastFailureAt: c.lastFailureAt,
  };
}

export type DeliveryCounts = { pending: number; delivered: number; failed: number; oldestPendingAt: Date | null };

export async function deliveryCounts(systemId: string): Promise<DeliveryCounts> {
  const rows = await getDb().$queryRaw<{ status: string; n: bigint; oldest: Date | null }[]>`
    SELECT status::text AS status, count(*) AS n, min(created_at) AS oldest
    FROM provisioning_outbox WHERE system_id = ${systemId}::uuid GROUP BY status`;
  const by = (s: string) => rows.find((r) => r.status === s);
  return {
    pending: Number(by("PENDING")?.n ?? 0),
    delivered: Number(by("DELIVERED")?.n ?? 0),
    failed: Number(by("FAILED")?.n ?? 0),
    oldestPendingAt: by("PENDING")?.oldest ?? null,
  };
}

export type FailedDelivery = {
  id: string;
  operation: string;
  loginName: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
};

/** Rows that were given up (dead-lettered), oldest first, at most 50: they need a person's attention. */
export async function failedDeliveries(systemId: string): Promise<FailedDelivery[]> {
  return getDb().$queryRaw<FailedDelivery[]>`
    SELECT o.id::text AS id, o.operation, sa.login_name AS "loginName", o.attempts, o.last_error AS "lastError", o.created_at AS "createdAt"
    FROM provisioning_outbox o LEFT JOIN slave_account sa ON sa.id = o.slave_account_id
    WHERE o.system_id = ${systemId}::uuid AND o.status = 'FAILED'
    ORDER BY o.id LIMIT 50`;
}

export type AttemptRow = {
  id: string;
  at: Date;
  operation: string;
  loginName: string | null;
  attempt: number;
  request: string;
  httpStatus: number | null;
  outcome: string;
  error: string | null;
  durationMs: number;
};

const isId = (v: unknown): v is string => typeof v === "string" && /^\d{1,19}$/.test(v);

export async function listAttempts(systemId: string, cursor?: string | null): Promise<Page<AttemptRow>> {
  const before = decodeCursor(cursor, isId);
  const rows = await getDb().$queryRaw<AttemptRow[]>`
    SELECT a.id::text AS id, a.at, o.operation, sa.login_name AS "loginName", a.attempt, a.request, a.http_status AS "httpStatus",
           a.outcome, a.error, a.duration_ms AS "durationMs"
    FROM provisioning_attempt a
    JOIN provisioning_outbox o ON o.id = a.outbox_id
    LEFT JOIN slave_account sa ON sa.id = o.slave_account_id
    WHERE a.system_id = ${systemId}::uuid AND (${before}::bigint IS NULL OR a.id < ${before}::bigint)
    ORDER BY a.id DESC LIMIT ${ATTEMPTS_PAGE + 1}`;
  const more = rows.length > ATTEMPTS_PAGE;
  const page = rows.slice(0, ATTEMPTS_PAGE);
  return { rows: page, nextCursor: more ? encodeCursor(page[page.length - 1]!.id) : null };
}

export type ReconciliationView = {
  lastRun: { id: string; startedAt: Date; counts: Record<string, number> } | null;
  findings: { id: string; kind: string; loginName: string; details: Record<string, unknown>; hasAccount: boolean }[];
};

/** The last run and its open findings (at most 100, by kind; the rest are in the export of the run). */
export async function reconciliationView(systemId: string): Promise<ReconciliationView> {
  const run = await getDb().reconciliationRun.findFirst({
    where: { systemId },
    orderBy: { startedAt: "desc" },
    select: { id: true, startedAt: true, counts: true },
  });
  const findings = await getDb().reconciliationFinding.findMany({
    where: { systemId, status: "OPEN" },
    orderBy: [{ kind: "asc" }, { id: "asc" }],
    take: 100,
    select: { id: true, kind: true, loginName: true, details: true, slaveAccountId: true },
  });
  return {
    lastRun: run ? { id: run.id, startedAt: run.startedAt, counts: run.counts as Record<string, number> } : null,
    findings: findings.map((f) => ({
      id: f.id,
      kind: f.kind,
      loginName: f.loginName,
      details: f.details as Record<string, unknown>,
      hasAccount: !!f.slaveAccountId,
    })),
  };
}
