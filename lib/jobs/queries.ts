import { getDb, Prisma } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { decodeCursor, encodeCursor, type Page } from "@/lib/http/cursor";
import { DEAD_LETTER_QUEUE, JOB_SCHEMA } from "./catalog";

/**
 * Reads for the background jobs page (/admin/jobs), straight from pg-boss's tables (schema `pgboss`,
 * decision 0022). pg-boss's own list call (findJobs) pages oldest first by id; the page wants newest
 * first by when a run ended, so these are plain SQL over the indexes pg-boss keeps: job_i16
 * (name, completed_on) for runs and failures, job_i15 (name, created_on) for the dead letters. Every
 * list is per queue (`name = q.name`, one partition each) merged in SQL, keyset-paged.
 */
const S = Prisma.raw(JOB_SCHEMA);

export const JOB_STATES = ["created", "retry", "active", "completed", "cancelled", "failed"] as const;
export type JobState = (typeof JOB_STATES)[number];
export type StateCounts = Record<JobState, number>;

export type QueueSummary = {
  name: string;
  policy: string;
  retryLimit: number;
  deadLetter: string | null;
  cron: string | null;
  timeZone: string | null;
  counts: StateCounts;
  lastRun: { state: JobState; startedOn: Date | null; completedOn: Date; durationMs: number | null } | null;
};

const zeroCounts = (): StateCounts => ({ created: 0, retry: 0, active: 0, completed: 0, cancelled: 0, failed: 0 });

/** Every queue with its schedule, how many of its retained jobs are in each state, and its last finished run. */
export async function listQueues(actor: Actor): Promise<QueueSummary[]> {
  assertCan(actor, "jobs:manage");
  const db = getDb();
  const [queues, counts] = await Promise.all([
    db.$queryRaw<
      {
        name: string;
        policy: string;
        retry_limit: number;
        dead_letter: string | null;
        cron: string | null;
        timezone: string | null;
        last_state: JobState | null;
        last_started: Date | null;
        last_completed: Date | null;
      }[]
    >`
      SELECT q.name, q.policy, q.retry_limit, q.dead_letter, s.cron, s.timezone,
             l.state::text AS last_state, l.started_on AS last_started, l.completed_on AS last_completed
      FROM ${S}.queue q
      LEFT JOIN ${S}.schedule s ON s.name = q.name AND s.key = ''
      LEFT JOIN LATERAL (
        SELECT j.state, j.started_on, j.completed_on FROM ${S}.job j
        WHERE j.name = q.name AND j.completed_on IS NOT NULL
        ORDER BY j.completed_on DESC LIMIT 1
      ) l ON true
      ORDER BY q.name`,
    // The job table holds what the queues' retention keeps (days, not years), so counting it is bounded.
    db.$queryRaw<{ name: string; state: JobState; n: bigint }[]>`
      SELECT name, state::text AS state, count(*) AS n FROM ${S}.job GROUP BY name, state`,
  ]);
  const byQueue = new Map<string, StateCounts>();
  for (const c of counts) {
    const row = byQueue.get(c.name) ?? zeroCounts();
    row[c.state] = Number(c.n);
    byQueue.set(c.name, row);
  }
  return queues.map((q) => ({
    name: q.name,
    policy: q.policy,
    retryLimit: q.retry_limit,
    deadLetter: q.dead_letter,
    cron: q.cron,
    timeZone: q.timezone,
    counts: byQueue.get(q.name) ?? zeroCounts(),
    lastRun:
      q.last_state && q.last_completed
        ? {
            state: q.last_state,
            startedOn: q.last_started,
            completedOn: q.last_completed,
            durationMs: q.last_started ? q.last_completed.getTime() - q.last_started.getTime() : null,
          }
        : null,
  }));
}

export type JobRun = {
  id: string;
  queue: string;
  state: JobState;
  retryCount: number;
  createdOn: Date;
  startedOn: Date | null;
  completedOn: Date;
  durationMs: number | null;
  /** The failure's message (pg-boss stores the thrown error as the job's output), never its stack. */
  error: string | null;
};

export type DeadLetter = {
  id: string;
  state: JobState;
  createdOn: Date;
  sourceQueue: string | null;
  sourceId: string | null;
  sourceRetryCount: number | null;
  error: string | null;
  /** The source job is still retained as failed, so "retry" can re-queue it. */
  sourceRetryable: boolean;
};

const MAX_ERROR = 500;
const isCursor = (v: unknown): v is { at: string; id: string } =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as { at?: unknown }).at === "string" &&
  !Number.isNaN(Date.parse((v as { at: string }).at)) &&
  typeof (v as { id?: unknown }).id === "string" &&
  /^[0-9a-f-]{36}$/i.test((v as { id: string }).id);

function errorText(output: unknown): string | null {
  if (output == null) return null;
  const message =
    typeof output === "object" && output !== null && typeof (output as { message?: unknown }).message === "string"
      ? (output as { message: string }).message
      : typeof output === "string"
        ? output
        : JSON.stringify(output);
  return message.length > MAX_ERROR ? `${message.slice(0, MAX_ERROR)}…` : message;
}

/** Which queues a list covers: one named queue (if it exists) or all but the dead-letter queue. */
function queueFilter(queue: string | undefined) {
  return queue ? Prisma.sql`q.name = ${queue}` : Prisma.sql`q.name <> ${DEAD_LETTER_QUEUE}`;
}

/**
 * Finished runs (completed or failed), newest first by when they ended; `failedOnly` for the failures.
 * Keyset on (completed_on, id): each queue contributes at most a page after the cursor, then the merge is cut.
 */
export async function listJobRuns(
  actor: Actor,
  opts: { queue?: string; failedOnly?: boolean; cursor?: string; pageSize?: number } = {},
): Promise<Page<JobRun>> {
  assertCan(actor, "jobs:manage");
  const pageSize = Math.min(Math.max(opts.pageSize ?? 25, 1), 100);
  const after = decodeCursor(opts.cursor, isCursor);
  const states = opts.failedOnly ? Prisma.sql`j.state = 'failed'` : Prisma.sql`j.state IN ('completed', 'failed')`;
  const keyset = after ? Prisma.sql`AND (j.completed_on, j.id) < (${new Date(after.at)}::timestamptz, ${after.id}::uuid)` : Prisma.empty;
  const rows = await getDb().$queryRaw<
    {
      id: string;
      name: string;
      state: JobState;
      retry_count: number;
      created_on: Date;
      started_on: Date | null;
      completed_on: Date;
      output: unknown;
    }[]
  >`
    SELECT r.* FROM ${S}.queue q
    CROSS JOIN LATERAL (
      SELECT j.id, j.name, j.state::text AS state, j.retry_count, j.created_on, j.started_on, j.completed_on, j.output
      FROM ${S}.job j
      WHERE j.name = q.name AND j.completed_on IS NOT NULL AND ${states} ${keyset}
      ORDER BY j.completed_on DESC, j.id DESC
      LIMIT ${pageSize + 1}
    ) r
    WHERE ${queueFilter(opts.queue)}
    ORDER BY r.completed_on DESC, r.id DESC
    LIMIT ${pageSize + 1}`;
  const page = rows.slice(0, pageSize);
  const last = page[page.length - 1];
  return {
    rows: page.map((r) => ({
      id: r.id,
      queue: r.name,
      state: r.state,
      retryCount: r.retry_count,
      createdOn: r.created_on,
      startedOn: r.started_on,
      completedOn: r.completed_on,
      durationMs: r.started_on ? r.completed_on.getTime() - r.started_on.getTime() : null,
      error: r.state === "failed" ? errorText(r.output) : null,
    })),
    nextCursor: rows.length > pageSize && last ? encodeCursor({ at: last.completed_on.toISOString(), id: last.id }) : null,
  };
}

/** What the dead-letter queue holds (jobs that used up their retries), newest first, keyset on (created_on, id). */
export async function listDeadLetters(
  actor: Actor,
  opts: { queue?: string; cursor?: string; pageSize?: number } = {},
): Promise<Page<DeadLetter>> {
  assertCan(actor, "jobs:manage");
  const pageSize = Math.min(Math.max(opts.pageSize ?? 25, 1), 100);
  const after = decodeCursor(opts.cursor, isCursor);
  const keyset = after ? Prisma.sql`AND (d.created_on, d.id) < (${new Date(after.at)}::timestamptz, ${after.id}::uuid)` : Prisma.empty;
  const source = opts.queue ? Prisma.sql`AND d.source_name = ${opts.queue}` : Prisma.empty;
  const rows = await getDb().$queryRaw<
    {
      id: string;
      state: JobState;
      created_on: Date;
      source_name: string | null;
      source_id: string | null;
      source_retry_count: number | null;
      source_output: unknown;
      source_failed: boolean;
    }[]
  >`
    SELECT d.id, d.state::text AS state, d.created_on, d.source_name, d.source_id, d.source_retry_count, d.source_output,
           EXISTS (SELECT 1 FROM ${S}.job s WHERE s.name = d.source_name AND s.id = d.source_id AND s.state = 'failed') AS source_failed
    FROM ${S}.job d
    WHERE d.name = ${DEAD_LETTER_QUEUE} AND d.state < 'completed' ${source} ${keyset}
    ORDER BY d.created_on DESC, d.id DESC
    LIMIT ${pageSize + 1}`;
  const page = rows.slice(0, pageSize);
  const last = page[page.length - 1];
  return {
    rows: page.map((r) => ({
      id: r.id,
      state: r.state,
      createdOn: r.created_on,
      sourceQueue: r.source_name,
      sourceId: r.source_id,
      sourceRetryCount: r.source_retry_count,
      error: errorText(r.source_output),
      sourceRetryable: r.source_failed,
    })),
    nextCursor: rows.length > pageSize && last ? encodeCursor({ at: last.created_on.toISOString(), id: last.id }) : null,
  };
}
