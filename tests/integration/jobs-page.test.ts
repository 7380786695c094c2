import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { PgBoss, QueuePolicy } from "pg-boss";
import { getDb, inTransaction } from "@/lib/db";
import { jobQueue } from "@/lib/jobs/boss";
import { DEAD_LETTER_QUEUE } from "@/lib/jobs/catalog";
import { listDeadLetters, listJobRuns, listQueues } from "@/lib/jobs/queries";
import { retryJob } from "@/lib/jobs/retry-job";
import { navigationFor } from "@/lib/authz/navigation";
import { auditMark, auditSince, expectDomainError, expectZodError, makeActor } from "../factories";

// The background jobs page's reads and its retry (/admin/jobs) on the real pg-boss tables of the test
// database. Each test makes queues of its own (no worker runs them), so the counts are exact.
let boss: PgBoss;
beforeAll(async () => {
  boss = await jobQueue();
});

async function makeQueue(opts: { policy?: QueuePolicy; deadLetter?: boolean } = {}): Promise<string> {
  const name = `page-${randomUUID().slice(0, 8)}`;
  await boss.createQueue(name, {
    policy: opts.policy ?? "standard",
    retryLimit: 0,
    ...(opts.deadLetter ? { deadLetter: DEAD_LETTER_QUEUE } : {}),
  });
  return name;
}

/** Sends a job and takes it as a worker would (active). */
async function activeJob(queue: string, data: object = {}): Promise<string> {
  const id = await boss.send(queue, data);
  const [job] = await boss.fetch(queue);
  expect(job?.id).toBe(id);
  return id!;
}

async function failedJob(queue: string, message = "the mail server refused"): Promise<string> {
  const id = await activeJob(queue);
  await boss.fail(queue, id, { message, stack: "Error: secret stack\n    at handler (lib/x.ts:1:1)" });
  return id;
}

async function stateOf(queue: string, id: string): Promise<string | undefined> {
  return (await boss.findJobs(queue, { id }))[0]?.state;
}

const admin = () => makeActor(["SYSTEM_ADMIN"]);

describe("the background jobs page", () => {
  it("counts each queue's jobs by state, shows its schedule and its last run with the duration", async () => {
    const { actor } = await admin();
    const queue = await makeQueue();
    await boss.schedule(queue, "*/5 * * * *", null, { tz: "Asia/Shanghai" });
    // Taken in order: the first two become active, the second is completed, then one fails; one waits.
    const active = await activeJob(queue);
    const done = await activeJob(queue);
    await boss.complete(queue, done, { ok: true });
    await failedJob(queue);
    await boss.send(queue, { n: 2 });

    const row = (await listQueues(actor)).find((q) => q.name === queue);
    expect(row).toMatchObject({
      policy: "standard",
      cron: "*/5 * * * *",
      timeZone: "Asia/Shanghai",
      counts: { created: 1, retry: 0, active: 1, completed: 1, cancelled: 0, failed: 1 },
      lastRun: { state: "failed" },
    });
    expect(row!.lastRun!.durationMs).toBeGreaterThanOrEqual(0);
    // The portal's own queues are listed with their schedules.
    const all = await listQueues(actor);
    expect(all.find((q) => q.name === "grant-expiry")).toMatchObject({ cron: "* * * * *" });
    expect(all.find((q) => q.name === DEAD_LETTER_QUEUE)).toMatchObject({ cron: null });
    expect(await stateOf(queue, active)).toBe("active");
    await boss.unschedule(queue);
  });

  it("lists finished runs newest first with their durations, failures with the error but not its stack, keyset-paged", async () => {
    const { actor } = await admin();
    const queue = await makeQueue();
    const first = await activeJob(queue);
    await boss.complete(queue, first, {});
    const failed = await failedJob(queue, "SMTP 554 refused");
    const last = await activeJob(queue);
    await boss.complete(queue, last, {});

    const runs = await listJobRuns(actor, { queue });
    expect(runs.rows.map((r) => r.id)).toEqual([last, failed, first]);
    expect(runs.nextCursor).toBeNull();
    const failedRow = runs.rows[1]!;
    expect(failedRow).toMatchObject({ queue, state: "failed", error: "SMTP 554 refused" });
    expect(JSON.stringify(runs)).not.toContain("secret stack");
    for (const r of runs.rows) expect(r.durationMs).toBeGreaterThanOrEqual(0);

    const failures = await listJobRuns(actor, { queue, failedOnly: true });
    expect(failures.rows.map((r) => r.id)).toEqual([failed]);

    const page1 = await listJobRuns(actor, { queue, pageSize: 2 });
    expect(page1.rows.map((r) => r.id)).toEqual([last, failed]);
    const page2 = await listJobRuns(actor, { queue, pageSize: 2, cursor: page1.nextCursor! });
    expect(page2.rows.map((r) => r.id)).toEqual([first]);
    expect(page2.nextCursor).toBeNull();
    // Across all queues the same runs appear in the same order (other tests' runs may be among them).
    const across = (await listJobRuns(actor, { pageSize: 100 })).rows.filter((r) => r.queue === queue).map((r) => r.id);
    expect(across).toEqual([last, failed, first]);
    // A cursor that is not one of ours is the first page, not an error.
    expect((await listJobRuns(actor, { queue, cursor: "garbage" })).rows).toHaveLength(3);
  });

  it("retry re-queues a failed job, audited in the same transaction; a second retry is refused and writes nothing", async () => {
    const { actor, person } = await admin();
    const again = await admin();
    const queue = await makeQueue();
    const id = await failedJob(queue);
    const mark = await auditMark();

    await inTransaction((tx) => retryJob(tx, actor, { queue, jobId: id }));
    expect(await stateOf(queue, id)).toBe("retry");
    const rows = await auditSince(mark);
    expect(rows.map((r) => r.action)).toEqual(["job.retried"]);
    expect(rows[0]).toMatchObject({
      actorId: person.id,
      targetType: "job",
      targetId: id,
      summary: { queue, before: { state: "failed", retryCount: 0 }, after: { state: "retry" } },
    });

    await expectDomainError(
      inTransaction((tx) => retryJob(tx, again.actor, { queue, jobId: id })),
      "JOB_NOT_RETRYABLE",
    );
    expect(await auditSince(mark)).toHaveLength(1);
    // The retried job runs again like any other.
    const [taken] = await boss.fetch(queue);
    expect(taken?.id).toBe(id);
  });

  it("the retry rolls back with the transaction it runs in", async () => {
    const { actor } = await admin();
    const queue = await makeQueue();
    const id = await failedJob(queue);
    const mark = await auditMark();
    await expect(
      inTransaction(async (tx) => {
        await retryJob(tx, actor, { queue, jobId: id });
        throw new Error("something later in the same transaction failed");
      }),
    ).rejects.toThrow("something later");
    expect(await stateOf(queue, id)).toBe("failed");
    expect(await auditSince(mark)).toHaveLength(0);
  });

  it("two administrators retrying the same job at once re-queue it once", async () => {
    const a = await admin();
    const b = await admin();
    const queue = await makeQueue();
    const id = await failedJob(queue);
    const mark = await auditMark();
    const results = await Promise.allSettled([
      inTransaction((tx) => retryJob(tx, a.actor, { queue, jobId: id })),
      inTransaction((tx) => retryJob(tx, b.actor, { queue, jobId: id })),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(lost.reason).toMatchObject({ code: "JOB_NOT_RETRYABLE" });
    expect(await auditSince(mark)).toHaveLength(1);
    expect((await boss.findJobs(queue, { id }))[0]).toMatchObject({ state: "retry", retryLimit: 1 });
  });

  it("a stately queue with a run already waiting for its retry refuses a second one with a clear message", async () => {
    const { actor } = await admin();
    const queue = await makeQueue({ policy: "stately" });
    const one = await failedJob(queue);
    const two = await failedJob(queue);
    await inTransaction((tx) => retryJob(tx, actor, { queue, jobId: one }));
    const mark = await auditMark();
    await expectDomainError(
      inTransaction((tx) => retryJob(tx, actor, { queue, jobId: two })),
      "JOB_RETRY_WAITING",
    );
    expect(await stateOf(queue, two)).toBe("failed");
    expect(await auditSince(mark)).toHaveLength(0);
  });

  it("lists dead-lettered jobs with their error; retrying one re-queues its failed job and settles the dead letter", async () => {
    const { actor } = await admin();
    const queue = await makeQueue({ deadLetter: true });
    const id = await failedJob(queue, "connector timed out");
    const dead = await listDeadLetters(actor, { queue });
    expect(dead.rows).toHaveLength(1);
    const letter = dead.rows[0]!;
    expect(letter).toMatchObject({ sourceQueue: queue, sourceId: id, error: "connector timed out", sourceRetryable: true });
    // The dead letter of another job cannot be settled with this one.
    const other = await failedJob(queue, "other");
    await expectDomainError(
      inTransaction((tx) => retryJob(tx, actor, { queue, jobId: other, deadLetterId: letter.id })),
      "JOB_NOT_RETRYABLE",
    );
    expect(await stateOf(queue, other)).toBe("failed");

    const mark = await auditMark();
    await inTransaction((tx) => retryJob(tx, actor, { queue, jobId: id, deadLetterId: letter.id }));
    expect(await stateOf(queue, id)).toBe("retry");
    expect(await stateOf(DEAD_LETTER_QUEUE, letter.id)).toBe("completed");
    expect((await listDeadLetters(actor, { queue })).rows.map((r) => r.sourceId)).toEqual([other]);
    expect((await auditSince(mark))[0]).toMatchObject({ action: "job.retried", targetId: id, summary: { deadLetterId: letter.id } });
  });

  it("refuses bad input with a validation error and an unknown job with NOT_FOUND, writing nothing", async () => {
    const { actor } = await admin();
    const queue = await makeQueue();
    const mark = await auditMark();
    await expectZodError(inTransaction((tx) => retryJob(tx, actor, { queue, jobId: "not-a-uuid" })));
    await expectZodError(inTransaction((tx) => retryJob(tx, actor, { queue: "bad name; DROP", jobId: randomUUID() })));
    await expectZodError(inTransaction((tx) => retryJob(tx, actor, { queue: "", jobId: randomUUID() })));
    await expectDomainError(
      inTransaction((tx) => retryJob(tx, actor, { queue, jobId: randomUUID() })),
      "NOT_FOUND",
    );
    await expectDomainError(
      inTransaction((tx) => retryJob(tx, actor, { queue: "no-such-queue", jobId: randomUUID() })),
      "NOT_FOUND",
    );
    expect(await auditSince(mark)).toHaveLength(0);
  });

  it("is for system administrators only: others get neither the page's data, nor its link, nor the retry", async () => {
    const queue = await makeQueue();
    const id = await failedJob(queue);
    const { actor: sysAdmin } = await admin();
    expect(navigationFor(sysAdmin).map((i) => i.href)).toContain("/admin/jobs");
    for (const role of ["SECURITY_OFFICER", "HR", "ACCOUNT_ADMIN", "APPROVER"] as const) {
      const { actor } = await makeActor([role]);
      expect(navigationFor(actor).map((i) => i.href)).not.toContain("/admin/jobs");
      await expectDomainError(listQueues(actor), "FORBIDDEN");
      await expectDomainError(listJobRuns(actor, { queue }), "FORBIDDEN");
      await expectDomainError(listDeadLetters(actor), "FORBIDDEN");
      await expectDomainError(
        inTransaction((tx) => retryJob(tx, actor, { queue, jobId: id })),
        "FORBIDDEN",
      );
    }
    const { actor: staff } = await makeActor([]);
    await expectDomainError(
      inTransaction((tx) => retryJob(tx, staff, { queue, jobId: id })),
      "FORBIDDEN",
    );
    expect(await stateOf(queue, id)).toBe("failed");
    expect(await getDb().auditEvent.count({ where: { action: "job.retried", targetId: id } })).toBe(0);
  });
});
