import { PgBoss, type ConstructorOptions, type Db } from "pg-boss";
import type { Tx } from "@/lib/db";
import { DEAD_LETTER_QUEUE, JOB_SCHEMA, JOBS, RETRY, type JobData, type JobName } from "./catalog";

/**
 * pg-boss on the portal's own PostgreSQL, schema `pgboss` (decision 0023). The schema, the queues and
 * the schedules are installed by `installJobQueue`, which the migration step calls (scripts/db/migrate.ts)
 * with the migrating role; processes at run time never run pg-boss's DDL (`migrate: false`, no index
 * rebuilds), they only read and write its tables.
 */
function baseOptions(url: string): ConstructorOptions {
  return {
    connectionString: url,
    schema: JOB_SCHEMA,
    application_name: "portal-4a-jobs",
    migrate: false,
    createSchema: false,
    reindex: false,
  };
}

export type BossRole = "worker" | "sender";

/** A worker runs the handlers, the schedules and pg-boss's maintenance; a sender (the web process) only enqueues. */
export function bossOptions(url: string, role: BossRole, extra: Partial<ConstructorOptions> = {}): ConstructorOptions {
  const worker = role === "worker";
  return { ...baseOptions(url), max: worker ? 4 : 2, supervise: worker, schedule: worker, ...extra };
}

/** Creates or upgrades the pgboss schema, the queues (dead-letter first) and their schedules. Idempotent. */
export async function installJobQueue(url: string, opts: { timeZone?: string } = {}): Promise<void> {
  const boss = new PgBoss({ ...baseOptions(url), migrate: true, createSchema: true, supervise: false, schedule: false });
  boss.on("error", () => {});
  await boss.start();
  try {
    const existing = new Set((await boss.getQueues()).map((q) => q.name));
    if (!existing.has(DEAD_LETTER_QUEUE)) {
      // Kept 30 days so an administrator can see and retry what failed.
      await boss.createQueue(DEAD_LETTER_QUEUE, { policy: "standard", retentionSeconds: 30 * 86400, deleteAfterSeconds: 30 * 86400 });
    }
    for (const job of JOBS) {
      const options = { expireInSeconds: job.expireInSeconds, retryLimit: job.retryLimit, ...RETRY, deadLetter: DEAD_LETTER_QUEUE };
      if (existing.has(job.name)) await boss.updateQueue(job.name, options);
      else await boss.createQueue(job.name, { ...options, policy: job.policy });
      await boss.schedule(job.name, job.cron, null, { tz: opts.timeZone ?? process.env.APP_TIME_ZONE ?? "Asia/Shanghai" });
    }
  } finally {
    await boss.stop({ graceful: false, close: true });
  }
}

const globalForBoss = globalThis as unknown as { portalBossSender?: Promise<PgBoss> };

function sender(): Promise<PgBoss> {
  globalForBoss.portalBossSender ??= (async () => {
    const { env } = await import("@/lib/env");
    const { log } = await import("@/lib/log");
    const boss = new PgBoss(bossOptions(env().DATABASE_URL, "sender"));
    boss.on("error", (err) => log.error({ err }, "job queue error"));
    return boss.start();
  })().catch((error: unknown) => {
    globalForBoss.portalBossSender = undefined;
    throw error;
  });
  return globalForBoss.portalBossSender;
}

/** Queues a run of a job now (from any process). With the "stately" policy at most one run waits. */
export async function enqueueJob(name: JobName, data: JobData = null): Promise<string | null> {
  return (await sender()).send(name, data ?? {});
}

/** The process's sending instance, for the jobs page's reads and retries. */
export async function jobQueue(): Promise<PgBoss> {
  return sender();
}

/**
 * A portal transaction as pg-boss's database executor (`{ db }` on its calls), so a pg-boss command
 * (retry, complete, send) commits or rolls back with the use case's own writes and audit row.
 */
export function inTx(tx: Tx): Db {
  return {
    executeSql: async (text: string, values: unknown[] = []) => ({ rows: await tx.$queryRawUnsafe<unknown[]>(text, ...values) }),
  };
}
