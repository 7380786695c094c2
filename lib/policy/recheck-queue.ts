import { getDb, inTransaction } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { rebuildFindingsFor } from "./recheck-policies";

/**
 * The incremental policy check (issue 14 §2, decision 0029). Triggers on every table the policy facts
 * come from (migration policy_recheck_queue) queue the people whose facts a change touched, in the
 * transaction of the change. This job takes them in batches: each batch claims up to `batchSize` queue
 * rows with FOR UPDATE SKIP LOCKED (so two workers take different rows), rebuilds those people's
 * findings with the full check's code (rebuildFindingsFor: same facts, same engine, under the same
 * findings lock), deletes exactly the rows it claimed and writes one audit row, all in one
 * transaction. A killed worker's batch rolls back and stays queued; a change committed while a batch is
 * checked has its own row, not claimed, so it is checked by the next batch or run. Only rows already
 * queued when the run started are taken, so a steady stream of changes cannot keep one run going.
 *
 * "Everyone" rows (person_id NULL: the classification setting) are not taken here: the job runs the
 * full check for them first (lib/jobs/scheduler.ts, runPolicyIncremental), which deletes them.
 */
export async function recheckQueuedPeople(
  actor: Actor,
  opts: { batchSize?: number; now?: Date } = {},
): Promise<{ people: number; findings: number; batches: number }> {
  assertCan(actor, "policy:manage");
  const batchSize = opts.batchSize ?? 1000;
  const now = opts.now ?? new Date();
  const [head] = await getDb().$queryRaw<{ last: bigint | null }[]>`SELECT max(id) AS last FROM policy_recheck_queue`;
  const last = head?.last;
  let people = 0;
  let findings = 0;
  let batches = 0;
  if (last == null) return { people, findings, batches };
  for (;;) {
    const done = await inTransaction(
      async (tx) => {
        const claimed = await tx.$queryRaw<{ id: bigint; person_id: string; reason: string }[]>`
          SELECT id, person_id::text, reason FROM policy_recheck_queue
          WHERE person_id IS NOT NULL AND id <= ${last}
          ORDER BY id LIMIT ${batchSize} FOR UPDATE SKIP LOCKED`;
        if (claimed.length === 0) return null;
        const ids = [...new Set(claimed.map((c) => c.person_id))];
        // Facts are read after the claim (READ COMMITTED: each statement sees every earlier commit).
        const written = await rebuildFindingsFor(tx, ids, now);
        await tx.$executeRaw`DELETE FROM policy_recheck_queue WHERE id = ANY(${claimed.map((c) => c.id)}::bigint[])`;
        await recordAuditEvent(tx, actor, {
          action: "policy.rechecked-incremental",
          target: { type: "audit", id: null },
          summary: { people: ids.length, findings: written, reasons: countReasons(claimed) },
        });
        return { people: ids.length, findings: written };
      },
      { timeoutMs: 120_000 },
    );
    if (!done) break;
    people += done.people;
    findings += done.findings;
    batches += 1;
  }
  return { people, findings, batches };
}

// What queued the batch, counted by reason ("grant.created": 3, "matrix.changed": 120 …), for the audit row.
function countReasons(claimed: readonly { reason: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of claimed) out[c.reason] = (out[c.reason] ?? 0) + 1;
  return out;
}

/** Whether a change that concerns everyone (the classification setting) waits for a full check. */
export async function isFullCheckQueued(): Promise<boolean> {
  const [row] = await getDb().$queryRaw<{ queued: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM policy_recheck_queue WHERE person_id IS NULL) AS queued`;
  return row?.queued ?? false;
}

/** People (and "everyone" rows) waiting for the incremental check, for the jobs page and tests. */
export async function countQueuedRechecks(): Promise<number> {
  const [row] = await getDb().$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM policy_recheck_queue`;
  return Number(row?.n ?? 0);
}
