import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgBoss } from "pg-boss";
import { bossOptions } from "@/lib/jobs/boss";
import { DEAD_LETTER_QUEUE, JOBS, type JobDefinition, type JobName } from "@/lib/jobs/catalog";
import { startWorker, type RunningWorker } from "@/lib/jobs/worker";

// pg-boss on the test database (installed by the migration step, scripts/db/migrate.ts). Test queues
// get names of their own, so the portal's real handlers never run here.
const url = process.env.DATABASE_URL!;
const FAST = { superviseIntervalSeconds: 1, monitorIntervalSeconds: 1, cronMonitorIntervalSeconds: 1, cronWorkerIntervalSeconds: 1 };

let admin: PgBoss;
beforeAll(async () => {
  admin = new PgBoss(bossOptions(url, "sender"));
  admin.on("error", () => {});
  await admin.start();
});
afterAll(async () => {
  await admin.stop({ graceful: false, close: true });
});

function testJob(run: JobDefinition["run"], overrides: Partial<JobDefinition> = {}): JobDefinition {
  return {
    name: `test-${randomUUID().slice(0, 8)}` as JobName,
    cron: "* * * * *",
    policy: "stately",
    expireInSeconds: 60,
    retryLimit: 2,
    run,
    ...overrides,
  };
}

async function createQueue(job: JobDefinition, opts: { retryDelay?: number } = {}) {
  await admin.createQueue(job.name, {
    policy: job.policy,
    expireInSeconds: job.expireInSeconds,
    retryLimit: job.retryLimit,
    retryDelay: opts.retryDelay ?? 0,
    deadLetter: DEAD_LETTER_QUEUE,
  });
}

async function until(check: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 200));
  }
}

const minuteSlot = (t: number) => Math.floor(t / 60_000);

describe("the job queue", () => {
  it("is installed with one queue and one schedule per job, each dead-lettering", async () => {
    const queues = await admin.getQueues();
    for (const job of JOBS) {
      const queue = queues.find((q) => q.name === job.name);
      expect(queue, job.name).toMatchObject({ policy: job.policy, deadLetter: DEAD_LETTER_QUEUE, retryBackoff: true });
      expect(await admin.getSchedule(job.name), job.name).toMatchObject({ cron: job.cron });
    }
  });

  it("two worker processes on one database run a scheduled job once per occurrence", async () => {
    const runs: { worker: number; at: number }[] = [];
    const a = testJob(async () => void runs.push({ worker: 1, at: Date.now() }));
    const jobs = [a];
    await createQueue(a);
    const startedAt = Date.now();
    await admin.schedule(a.name, a.cron, null, {});
    const w1 = await startWorker(url, { jobs, boss: FAST, kickOff: false });
    const w2 = await startWorker(url, { jobs, boss: FAST, kickOff: false });
    try {
      await until(() => runs.length >= 1);
      // Both timekeepers run a pass every second for the next 5 s: no second job for the occurrence.
      await new Promise((r) => setTimeout(r, 5000));
      const endedAt = Date.now();
      const slots = minuteSlot(endedAt) - minuteSlot(startedAt) + 1;
      expect(runs.length).toBeGreaterThanOrEqual(1);
      expect(runs.length).toBeLessThanOrEqual(slots);
      const created = await admin.findJobs(a.name);
      expect(created).toHaveLength(runs.length);
      expect(new Set(created.map((j) => minuteSlot(j.createdOn.getTime()))).size).toBe(created.length);
    } finally {
      await admin.unschedule(a.name);
      await Promise.all([w1.stop(), w2.stop()]);
    }
  });

  it("a job whose worker died mid-run (kill -9) is retried by another worker and loses nothing", async () => {
    const seen: number[] = [];
    const job = testJob(async () => void seen.push(1), { expireInSeconds: 1 });
    await createQueue(job);
    const id = await admin.send(job.name, { n: 1 });
    // The dying worker: claims the job, then its process goes away without settling it.
    const dying = new PgBoss(bossOptions(url, "worker", { supervise: false, schedule: false }));
    dying.on("error", () => {});
    await dying.start();
    const [claimed] = await dying.fetch(job.name);
    expect(claimed?.id).toBe(id);
    await dying.stop({ graceful: false, close: true });
    expect((await admin.findJobs(job.name, { id: id! }))[0]?.state).toBe("active");

    let survivor: RunningWorker | undefined;
    try {
      survivor = await startWorker(url, { jobs: [job], boss: FAST, kickOff: false });
      await until(async () => (await admin.findJobs(job.name, { id: id! }))[0]?.state === "completed");
      const [done] = await admin.findJobs(job.name, { id: id! });
      expect(done?.retryCount).toBeGreaterThanOrEqual(1);
      expect(seen).toHaveLength(1);
    } finally {
      await survivor?.stop();
    }
  });

  it("a failing job is retried, and dead-lettered with its error once the retries are used up", async () => {
    let attempts = 0;
    const flaky = testJob(async () => {
      attempts++;
      if (attempts === 1) throw new Error("first attempt fails");
      return { ok: true };
    });
    const broken = testJob(
      async () => {
        throw new Error("always broken");
      },
      { retryLimit: 1 },
    );
    await createQueue(flaky);
    await createQueue(broken);
    const flakyId = await admin.send(flaky.name, {});
    const brokenId = await admin.send(broken.name, {});
    const worker = await startWorker(url, { jobs: [flaky, broken], boss: FAST, kickOff: false });
    try {
      await until(async () => (await admin.findJobs(flaky.name, { id: flakyId! }))[0]?.state === "completed");
      expect(attempts).toBe(2);
      await until(async () => (await admin.findJobs(broken.name, { id: brokenId! }))[0]?.state === "failed");
      await until(async () => (await admin.findJobs(DEAD_LETTER_QUEUE, { data: {} })).some((j) => j.sourceId === brokenId));
      const dead = (await admin.findJobs(DEAD_LETTER_QUEUE)).find((j) => j.sourceId === brokenId);
      expect(dead).toMatchObject({ sourceName: broken.name });
      expect(JSON.stringify(dead?.sourceOutput)).toContain("always broken");
    } finally {
      await worker.stop();
    }
  });
});
