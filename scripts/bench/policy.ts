/**
 * `npm run bench:policy`: the incremental policy check (lib/policy/recheck-queue.ts, issue 14 §2) on the
 * scale database (`npm run seed:scale` first). Target: after 1,000 changed grants it finishes in < 5 s.
 *
 *   npm run bench:policy [-- --grants 1000] [--rounds 3] [--batch 1000] [--role-change]
 *
 *   --role-change  then also rename the most-held role once (a change that queues all its holders in
 *                  one statement) and time that statement and the incremental check that follows.
 *
 * Each round picks `--grants` live grants of as many different people (the worst case: no two share a
 * person), changes them in one statement as a bulk renewal would (ends_at moved; the triggers queue
 * their holders in that statement's transaction, timed too), then times recheckQueuedPeople, which
 * rebuilds those people's findings and empties the queue. Before the first round a backlog in the queue
 * (seed:scale's bulk load queues everyone) is cleared: by the full check if there are no findings yet
 * (timed, and it is what clears the queue in production), else by deleting the rows (findings stay as
 * the last full check left them; the benchmark database is throwaway).
 *
 * Writes findings and audit rows, as the job would; the scale data is otherwise left as it was except
 * for the moved end dates.
 */
import { closeScaleBench, machineLine, openScaleBench } from "./harness";

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};
const GRANTS = arg("--grants", 1000);
const ROUNDS = arg("--rounds", 3);
const BATCH = arg("--batch", 1000);
const TARGET_S = 5;

const db = await openScaleBench();
try {
  await run();
} finally {
  await closeScaleBench(db);
}

async function run(): Promise<void> {
  const { getDb } = await import("@/lib/db");
  const { systemActor } = await import("@/lib/authz/actor");
  const { recheckPolicies } = await import("@/lib/policy/recheck-policies");
  const { recheckQueuedPeople, countQueuedRechecks } = await import("@/lib/policy/recheck-queue");
  const prisma = getDb();
  const actor = systemActor("bench");
  console.log(`machine: ${machineLine()}`);

  const backlog = await countQueuedRechecks();
  if (backlog > 0) {
    const findings = await prisma.policyFinding.count();
    if (findings === 0) {
      const t0 = performance.now();
      const full = await recheckPolicies(actor, { batchSize: BATCH });
      console.log(
        `queue backlog ${backlog} rows, no findings yet: full check ${((performance.now() - t0) / 1000).toFixed(1)} s ` +
          `(${full.people} people, ${full.findings} findings, ${full.queueCleared} queue rows cleared)`,
      );
    } else {
      await prisma.$executeRaw`DELETE FROM policy_recheck_queue`;
      console.log(`queue backlog ${backlog} rows deleted (${findings} findings from the last full check kept)`);
    }
  }

  const results: { update: number; check: number; people: number; findings: number }[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // Spread over the id space and different each round: every k-th live grant, one per person.
    const picked = await prisma.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM (
        SELECT DISTINCT ON (sa.person_id) g.id, sa.person_id
        FROM access_grant g JOIN slave_account sa ON sa.id = g.slave_account_id
        WHERE g.revoked_at IS NULL AND sa.status <> 'DELETED' AND sa.person_id IS NOT NULL
          AND (g.ends_at IS NULL OR g.ends_at > now())
          AND abs(hashtext(sa.person_id::text || ${String(round)})) % 50 = 0
        ORDER BY sa.person_id, g.id) x
      ORDER BY id LIMIT ${GRANTS}`;
    if (picked.length < GRANTS) throw new Error(`only ${picked.length} grants found for round ${round}`);
    const ids = picked.map((p) => p.id);
    const t0 = performance.now();
    await prisma.$executeRaw`
      UPDATE access_grant SET ends_at = COALESCE(ends_at, now()) + interval '90 days', expiry_notice = NULL
      WHERE id = ANY(${ids}::uuid[])`;
    const update = performance.now() - t0;
    const queued = await countQueuedRechecks();
    const t1 = performance.now();
    const result = await recheckQueuedPeople(actor, { batchSize: BATCH });
    const check = performance.now() - t1;
    results.push({ update, check, people: result.people, findings: result.findings });
    console.log(
      `round ${round}: ${GRANTS} grants changed in ${update.toFixed(0)} ms (${queued} queue rows); ` +
        `incremental check ${(check / 1000).toFixed(2)} s for ${result.people} people in ${result.batches} batch(es), ${result.findings} findings` +
        (check / 1000 < TARGET_S ? " ✓" : ` ✗ (target ${TARGET_S} s)`),
    );
    if ((await countQueuedRechecks()) !== 0) console.log("  (changes by others arrived meanwhile: still queued)");
  }
  if (args.includes("--role-change")) {
    const [role] = await prisma.$queryRaw<{ id: string; code: string; holders: number }[]>`
      SELECT g.role_id::text AS id, r.code, count(DISTINCT sa.person_id)::int AS holders
      FROM access_grant g JOIN slave_account sa ON sa.id = g.slave_account_id JOIN job_role r ON r.id = g.role_id
      WHERE g.revoked_at IS NULL GROUP BY g.role_id, r.code ORDER BY holders DESC LIMIT 1`;
    const t0 = performance.now();
    await prisma.$executeRaw`UPDATE job_role SET name = name || ' (renamed)' WHERE id = ${role!.id}::uuid`;
    const update = performance.now() - t0;
    const queued = await countQueuedRechecks();
    const t1 = performance.now();
    const result = await recheckQueuedPeople(actor, { batchSize: BATCH });
    console.log(
      `role ${role!.code} (${role!.holders} holders) renamed in ${update.toFixed(0)} ms (${queued} queue rows); ` +
        `incremental check ${((performance.now() - t1) / 1000).toFixed(2)} s for ${result.people} people, ${result.findings} findings`,
    );
  }

  const sorted = [...results].map((r) => r.check).sort((a, b) => a - b);
  console.log(
    `incremental check after ${GRANTS} changed grants: median ${(sorted[Math.floor(sorted.length / 2)]! / 1000).toFixed(2)} s, ` +
      `max ${(sorted[sorted.length - 1]! / 1000).toFixed(2)} s over ${ROUNDS} rounds (batch ${BATCH})`,
  );
}
