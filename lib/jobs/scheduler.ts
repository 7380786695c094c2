import { inTransaction } from "@/lib/db";
import { systemActor, type SystemActor } from "@/lib/authz/actor";
import { expireDueGrants } from "@/lib/grants/expire-grants";
import { log } from "@/lib/log";

// Two rounds that pg-boss queues run (lib/jobs/catalog.ts). pg-boss already keeps one run of a queue
// active at a time (policy "stately"); the transaction-scoped advisory locks stay so that a direct call
// (tests, the classification change waiting for a check in progress) cannot overlap a queued run either.
const LOCK_KEY = 4040405;

export async function runDueJobs(now = new Date()): Promise<number> {
  let total = 0;
  for (;;) {
    const expired = await inTransaction(async (tx) => {
      const [row] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${LOCK_KEY}) AS locked`;
      if (!row?.locked) return 0;
      return expireDueGrants(tx, systemActor("scheduler"), now);
    });
    total += expired;
    if (expired === 0) return total;
  }
}

const RECHECK_LOCK_KEY = 4040406;

/**
 * The continuous policy check, in one process at a time: a transaction holds the advisory lock on
 * its own connection for as long as the check runs (the check itself reads and writes in short
 * transactions of its own).
 */
export async function runPolicyRecheck(opts: { wait?: boolean; actor?: SystemActor; now?: Date } = {}): Promise<void> {
  const { getDb } = await import("@/lib/db");
  const { recheckPolicies } = await import("@/lib/policy/recheck-policies");
  await getDb().$transaction(
    async (tx) => {
      // `wait`: a rule changed (e.g. the classification setting); run after any check in progress.
      if (opts.wait) await tx.$executeRaw`SELECT pg_advisory_xact_lock(${RECHECK_LOCK_KEY})`;
      else {
        const [row] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${RECHECK_LOCK_KEY}) AS locked`;
        if (!row?.locked) return;
      }
      const result = await recheckPolicies(opts.actor ?? systemActor("scheduler"), { now: opts.now });
      log.info(result, "policy recheck done");
    },
    { timeout: 30 * 60_000, maxWait: 10_000 },
  );
}

/**
 * The incremental policy check (lib/policy/recheck-queue.ts), every minute: a queued change that
 * concerns everyone (the classification setting) first gets the full check, which also clears the
 * queue rows it covered; then the queued people are checked in batches. Several workers may run it:
 * the batches are claimed with SKIP LOCKED.
 */
export async function runPolicyIncremental(opts: { now?: Date; actor?: SystemActor; batchSize?: number } = {}) {
  const { recheckQueuedPeople, isFullCheckQueued } = await import("@/lib/policy/recheck-queue");
  const actor = opts.actor ?? systemActor("policy-incremental");
  const fullCheck = await isFullCheckQueued();
  // Not waiting: a full check in progress covers the change or leaves its row for the next minute.
  if (fullCheck) await runPolicyRecheck({ wait: false, actor, now: opts.now });
  const result = await recheckQueuedPeople(actor, { now: opts.now, batchSize: opts.batchSize });
  if (result.people > 0 || fullCheck) log.info({ ...result, fullCheck }, "incremental policy check done");
  return { ...result, fullCheck };
}
