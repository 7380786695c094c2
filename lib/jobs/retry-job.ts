import { z } from "zod";
import { Prisma, type Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { inTx, jobQueue } from "./boss";
import { DEAD_LETTER_QUEUE, JOB_SCHEMA } from "./catalog";
import { text } from "@/lib/validation";

const S = Prisma.raw(JOB_SCHEMA);
const uuid = text().uuid("invalid");

export const RetryJobInput = z.object({
  // pg-boss queue names: letters, digits, "_", "-", ".", "/" (its own rule), at most 100 here.
  queue: text()
    .trim()
    .min(1, "required")
    .max(100, "too-long")
    .regex(/^[\w.\-/]+$/, "invalid"),
  jobId: uuid,
  // Set when the retry starts from the dead-letter list: that copy is settled with the retry.
  deadLetterId: uuid.optional(),
});

// pg-boss's command result carries `affected` at run time; its published type (CommandResponse) is empty.
const affected = (response: unknown): number => Number((response as { affected?: number } | null)?.affected ?? 0);

/** A unique violation from raw SQL (pg-boss's statements run through $queryRawUnsafe). */
function isRawUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (error.code === "P2002") return true;
  return error.code === "P2010" && /23505|unique/i.test(JSON.stringify(error.meta ?? {}) + error.message);
}

/**
 * Re-queues a failed job (pg-boss `retry`: state failed → retry, one more attempt allowed) in the
 * caller's transaction, with its audit row; from the dead-letter list the dead letter is settled in the
 * same transaction. Compare-and-set: the job row is locked and must still be failed, so two
 * administrators clicking at once re-queue it once and the second is told it is no longer failed.
 */
export async function retryJob(tx: Tx, actor: Actor, raw: z.input<typeof RetryJobInput>) {
  const input = RetryJobInput.parse(raw);
  assertCan(actor, "jobs:manage");
  const [job] = await tx.$queryRaw<{ state: string; retry_count: number; policy: string | null }[]>`
    SELECT state::text AS state, retry_count, policy FROM ${S}.job WHERE name = ${input.queue} AND id = ${input.jobId}::uuid FOR UPDATE`;
  if (!job) throw new DomainError("NOT_FOUND", { field: "jobId" });
  if (job.state !== "failed") throw new DomainError("JOB_NOT_RETRYABLE", { params: { state: job.state } });
  let deadLetter: { id: string } | undefined;
  if (input.deadLetterId) {
    [deadLetter] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM ${S}.job
      WHERE name = ${DEAD_LETTER_QUEUE} AND id = ${input.deadLetterId}::uuid AND source_name = ${input.queue}
        AND source_id = ${input.jobId}::uuid AND state < 'completed'
      FOR UPDATE`;
    if (!deadLetter) throw new DomainError("JOB_NOT_RETRYABLE", { field: "deadLetterId", params: { state: job.state } });
  }
  // A "stately" queue keeps one job per state: a run already waiting to be retried blocks another.
  if (job.policy === "stately") {
    const [waiting] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM ${S}.job WHERE name = ${input.queue} AND state = 'retry' LIMIT 1`;
    if (waiting) throw new DomainError("JOB_RETRY_WAITING");
  }
  const boss = await jobQueue();
  const db = inTx(tx);
  try {
    const result = await boss.retry(input.queue, input.jobId, { db });
    if (affected(result) !== 1) throw new DomainError("JOB_NOT_RETRYABLE", { params: { state: job.state } });
  } catch (error) {
    // Another retry of this queue got in between (the unique index of stately queues settles it).
    if (isRawUniqueViolation(error)) throw new DomainError("JOB_RETRY_WAITING");
    throw error;
  }
  if (deadLetter) {
    const settled = await boss.complete(DEAD_LETTER_QUEUE, deadLetter.id, { retried: input.jobId }, { db, includeQueued: true });
    if (affected(settled) !== 1) throw new DomainError("JOB_NOT_RETRYABLE", { field: "deadLetterId", params: { state: job.state } });
  }
  await recordAuditEvent(tx, actor, {
    action: "job.retried",
    target: { type: "job", id: input.jobId },
    summary: {
      queue: input.queue,
      before: { state: "failed", retryCount: job.retry_count },
      after: { state: "retry" },
      ...(deadLetter ? { deadLetterId: deadLetter.id } : {}),
    },
  });
  return { queue: input.queue, jobId: input.jobId };
}
