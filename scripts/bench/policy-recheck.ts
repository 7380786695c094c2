/**
 * `npx tsx scripts/bench/policy-recheck.ts`: the full continuous policy check against the scale
 * database (`npm run seed:scale` first), timed end to end, with the people, findings and peak memory.
 *
 *   npx tsx scripts/bench/policy-recheck.ts [--batch 1000] [--add-rules] [--compare 2000]
 *
 *   --add-rules    first make sure the scale data has incompatible pairs to find: one role pair (the
 *                  first two non-administrative roles) in each of the 300 systems, as an officer would
 *                  configure them (sod_rule rows, idempotent). The findings then fill the violations page.
 *   --compare N    also time the former one-person-at-a-time loading (lib/policy/context.ts,
 *                  ~4 queries a person) for the first N people with grants, to compare rates.
 *
 * Writes the findings (policy_finding) and one policy.rechecked audit row, as the scheduler would.
 */
import { closeScaleBench, machineLine, openScaleBench } from "./harness";

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const BATCH = Number(arg("--batch") ?? 1000);
const COMPARE = Number(arg("--compare") ?? 0);

const db = await openScaleBench();
try {
  await run();
} finally {
  await closeScaleBench(db);
}

async function run(): Promise<void> {
  const { getDb, inTransaction } = await import("@/lib/db");
  const { systemActor } = await import("@/lib/authz/actor");
  const { recheckPolicies } = await import("@/lib/policy/recheck-policies");
  const prisma = getDb();
  console.log(`machine: ${machineLine()}`);

  if (args.includes("--add-rules")) {
    const added = await prisma.$executeRaw`
      INSERT INTO sod_rule (id, kind, left_role_id, right_role_id, description, is_active, created_at)
      SELECT gen_random_uuid(), 'ROLE_PAIR', r.roles[1], r.roles[2], 'bench: maker / checker of ' || r.code, true, now()
      FROM (
        SELECT s.code, array_agg(jr.id ORDER BY jr.code) AS roles
        FROM business_system s JOIN job_role jr ON jr.system_id = s.id AND NOT jr.is_administrative
        GROUP BY s.code) r
      WHERE NOT EXISTS (SELECT 1 FROM sod_rule x WHERE x.left_role_id = r.roles[1] AND x.right_role_id = r.roles[2])`;
    console.log(`incompatible role pairs added: ${added} (active now: ${await prisma.sodRule.count({ where: { isActive: true } })})`);
  }

  const [grants] = await prisma.$queryRaw<{ live: number; people: number }[]>`
    SELECT count(*)::int AS live, count(DISTINCT sa.person_id)::int AS people
    FROM access_grant g JOIN slave_account sa ON sa.id = g.slave_account_id
    WHERE g.revoked_at IS NULL AND (g.ends_at IS NULL OR g.ends_at > now()) AND sa.status <> 'DELETED'`;
  console.log(`live grants ${grants!.live} held by ${grants!.people} people; batch ${BATCH}`);

  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  const result = await recheckPolicies(systemActor("bench"), { batchSize: BATCH });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const byCode = await prisma.policyFinding.groupBy({ by: ["code"], _count: { _all: true }, orderBy: { code: "asc" } });
  console.log(
    `full recheck: ${seconds.toFixed(1)} s for ${result.people} people (${(result.people / seconds).toFixed(0)} people/s), ${result.findings} findings, peak RSS ${(peak / 2 ** 20).toFixed(0)} MB`,
  );
  for (const c of byCode) console.log(`  ${c.code}: ${c._count._all}`);

  if (COMPARE > 0) {
    const { loadPolicyContext } = await import("@/lib/policy/context");
    const { evaluateHoldings } = await import("@/lib/policy/engine");
    const ids = await prisma.$queryRaw<{ id: string }[]>`
      SELECT DISTINCT sa.person_id::text AS id FROM slave_account sa JOIN access_grant g ON g.slave_account_id = sa.id
      WHERE g.revoked_at IS NULL ORDER BY 1 LIMIT ${COMPARE}`;
    const t0 = performance.now();
    let findings = 0;
    await inTransaction(
      async (tx) => {
        for (const { id } of ids) {
          const c = await loadPolicyContext(tx, id, new Date());
          findings += evaluateHoldings(c.person, c.holdings, c.sodRules, c.sensitiveLevels).length;
        }
      },
      { timeoutMs: 600_000 },
    );
    const s = (performance.now() - t0) / 1000;
    console.log(
      `one person at a time (former loading): ${ids.length} people in ${s.toFixed(1)} s (${(ids.length / s).toFixed(0)} people/s, ${findings} findings); ` +
        `the whole population would take ≈ ${(((grants!.people / ids.length) * s) / 60).toFixed(1)} min`,
    );
  }
}
