import { PgBoss, type ConstructorOptions } from "pg-boss";
import { log } from "@/lib/log";
import { bossOptions } from "./boss";
import { JOBS, type JobData, type JobDefinition } from "./catalog";

export type RunningWorker = { boss: PgBoss; stop: (opts?: { graceful?: boolean }) => Promise<void> };

/**
 * The worker: runs every queue of lib/jobs/catalog.ts, the schedules and pg-boss's maintenance (expired
 * active jobs back to retry, retention). Started by scripts/worker.ts (PORTAL_ROLE=worker) or inside the
 * web process when PORTAL_ROLE=both. `clock` is the time the handlers are given.
 */
export async function startWorker(
  url: string,
  opts: { clock?: () => Date; jobs?: readonly JobDefinition[]; boss?: Partial<ConstructorOptions>; kickOff?: boolean } = {},
): Promise<RunningWorker> {
  const clock = opts.clock ?? (() => new Date());
  const jobs = opts.jobs ?? JOBS;
  const boss = new PgBoss(bossOptions(url, "worker", opts.boss));
  boss.on("error", (err) => log.error({ err }, "job queue error"));
  boss.on("warning", (warning) => log.warn({ warning }, "job queue warning"));
  await boss.start();
  for (const job of jobs) {
    await boss.work<JobData>(job.name, { localConcurrency: 1, pollingIntervalSeconds: 2 }, async ([item]) => {
      if (!item) return null;
      const started = Date.now();
      const result = await job.run(clock(), item.data);
      log.info({ job: job.name, id: item.id, ms: Date.now() - started, result }, "job done");
      return result ?? null;
    });
  }
  // A run of each queue right after start (as the minute loop did), not only at the next occurrence;
  // the stately policy drops it when one is already waiting. The nightly full policy check is not one
  // of them: the incremental check keeps findings current (decision 0029).
  if (opts.kickOff !== false) for (const job of jobs) if (job.runAtStart !== false) await boss.send(job.name, {});
  return {
    boss,
    stop: async ({ graceful = true } = {}) => {
      await boss.stop({ graceful, timeout: 30_000, close: true });
    },
  };
}
