/**
 * Access reviews at operator scale (issue 12): `npm run bench:reviews` (after `npm run seed:scale`).
 * Migrates the scale database to this checkout, then, through the real use cases:
 *   1. starts a campaign over every live grant (security officer, department-head stage): time and the
 *      Node process's peak RSS (sampled every 50 ms);
 *   2. gives one reviewer 10,000 open items and times the inbox query (lib/reviews/inbox-queries.ts when
 *      it is there; else the same keyset SQL over the inbox index): first page, a deep page, filters, p95;
 *   3. a bulk decision on 1,000 of those items (one call, one transaction);
 *   4. 50 reviewers deciding 20 of their own items each, concurrently: errors and double decisions (must be 0);
 *   5. the deadline run closing a campaign of ≈100,000 undecided items (defaults and applying them).
 * Campaigns are left behind (never deleted, R12); rerun `seed:scale` to start clean.
 * Options: --skip-start (reuse the newest whole-estate campaign), --only-start, --close-size N (default 100000).
 */
process.env.AUTH_SECRET ??= "bench-auth-secret-bench-auth-secret-0123456789";
process.env.AUDIT_SIGNING_KEY ??= Buffer.alloc(32, 5).toString("base64");
process.env.DB_POOL_MAX ??= "60";

import { closeScaleBench, loadActors, machineLine, measure, ms, openScaleBench } from "./harness";
import { migrate } from "../db/migrate";
import { grantAppPrivileges } from "../lib/db-roles";
import { startScaleDatabase } from "./scale-db";

const args = process.argv.slice(2);
const skipStart = args.includes("--skip-start");
const onlyStart = args.includes("--only-start");
const closeSize = Number(args[args.indexOf("--close-size") + 1] ?? NaN) || 100_000;

// The scale database may predate this checkout's migrations (or its app role's grants): bring it up to date first.
{
  const pre = await startScaleDatabase();
  await migrate(pre.ownerUrl, { log: (m) => console.error(`[migrate] ${m}`) });
  if (pre.appRole) await grantAppPrivileges(pre.ownerUrl, pre.appRole);
  await pre.stop();
}
const db = await openScaleBench();

const { getDb, inTransaction } = await import("@/lib/db");
const { Prisma } = await import("@/lib/generated/prisma/client");
const { defineReview } = await import("@/lib/reviews/define");
const { bulkDecideItems, decideItem } = await import("@/lib/reviews/decide");
const { closeCampaignIn, LONG_TX_MS } = await import("@/lib/reviews/close-campaign");
const { systemActor } = await import("@/lib/authz/actor");
type PersonActor = import("@/lib/authz/actor").PersonActor;

const actors = await loadActors();
const officer = actors.officer;
const prisma = getDb();
const results: string[] = [];
const line = (s: string) => {
  console.log(s);
  results.push(s);
};
line(`# bench:reviews — ${new Date().toISOString()}`);
line(machineLine());
line(
  `people ${await prisma.person.count()}, live grants ${(await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM access_grant WHERE revoked_at IS NULL AND (ends_at IS NULL OR ends_at > now())`)[0]!.n}`,
);

async function personActor(personId: string): Promise<PersonActor> {
  const p = await prisma.person.findUniqueOrThrow({
    where: { id: personId },
    select: { id: true, name: true, employeeNo: true, orgUnitId: true, account: { select: { id: true } } },
  });
  return {
    kind: "person",
    personId: p.id,
    accountId: p.account?.id ?? p.id,
    name: p.name,
    employeeNo: p.employeeNo,
    orgUnitId: p.orgUnitId,
    sessionId: null,
    roles: [],
    ctx: { requestId: "bench", ip: null, userAgent: null },
  };
}

// 1. The whole estate.
let campaignId: string;
if (skipStart) {
  const c = await prisma.reviewCampaign.findFirstOrThrow({
    where: { status: "ACTIVE", name: { startsWith: "bench: every live grant" } },
    orderBy: { startedAt: "desc" },
  });
  campaignId = c.id;
} else {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t0 = performance.now();
  const started = await inTransaction(
    (tx) =>
      defineReview(tx, officer, {
        name: `bench: every live grant ${new Date().toISOString()}`,
        scope: {},
        stages: [{ strategy: "DEPARTMENT_HEAD" }],
        durationDays: 30,
      }),
    { timeoutMs: LONG_TX_MS },
  );
  const elapsed = performance.now() - t0;
  clearInterval(sampler);
  campaignId = started.campaign!.campaignId;
  line(
    `1. start over every live grant: ${started.campaign!.items.toLocaleString("en")} items in ${(elapsed / 1000).toFixed(1)} s, Node peak RSS ${(peak / 2 ** 20).toFixed(0)} MB (target < 30 s, < 500 MB)`,
  );
}

if (onlyStart) {
  await closeScaleBench(db);
  process.exit(0);
}

// 2. One reviewer with 10,000 open items.
const [top] = await prisma.$queryRaw<{ reviewer_id: string }[]>`
  SELECT reviewer_id::text FROM review_item WHERE campaign_id = ${campaignId}::uuid AND status = 'OPEN' AND reviewer_id IS NOT NULL
  GROUP BY reviewer_id ORDER BY count(*) DESC LIMIT 1`;
const reviewerId = top!.reviewer_id;
await prisma.$executeRaw`
  UPDATE review_item SET reviewer_id = ${reviewerId}::uuid
  WHERE id IN (SELECT id FROM review_item WHERE campaign_id = ${campaignId}::uuid AND status = 'OPEN' AND NOT (${reviewerId}::uuid = ANY(conflicted_ids))
               ORDER BY (reviewer_id = ${reviewerId}::uuid) DESC, id LIMIT 10000)`;
const reviewer = await personActor(reviewerId);
const inboxModule = await import("@/lib/reviews/inbox-queries" as string).catch(() => null);
const inboxSql = (extra: InstanceType<typeof Prisma.Sql> | null, after: string | null) => prisma.$queryRaw<{ id: string }[]>`
  SELECT i.id::text, i.facts->'person'->>'name' AS name, i.recommendation FROM review_item i
  WHERE i.reviewer_id = ${reviewerId}::uuid AND i.status = 'OPEN' ${after ? Prisma.sql`AND i.id > ${after}::uuid` : Prisma.empty} ${extra ?? Prisma.empty}
  ORDER BY i.id LIMIT 51`;
const ids = (
  await prisma.$queryRaw<
    { id: string }[]
  >`SELECT id::text FROM review_item WHERE reviewer_id = ${reviewerId}::uuid AND status = 'OPEN' ORDER BY id`
).map((r) => r.id);
line(
  `2. inbox of one reviewer with ${ids.length.toLocaleString("en")} open items (${inboxModule ? "lib/reviews/inbox-queries.ts" : "the inbox keyset SQL"}), 30 runs each:`,
);
const deep = ids[Math.floor(ids.length / 2)]!;
const someSystem = (await prisma.reviewItem.findFirstOrThrow({ where: { id: ids[0]! }, select: { systemId: true } })).systemId;
const cases: [string, () => Promise<unknown>][] = [
  ["first page", () => inboxSql(null, null)],
  ["deep page (5,000 in)", () => inboxSql(null, deep)],
  ["recommended only", () => inboxSql(Prisma.sql`AND i.recommendation IS NOT NULL`, null)],
  ["one system", () => inboxSql(Prisma.sql`AND i.system_id = ${someSystem}::uuid`, null)],
  ["sensitive only", () => inboxSql(Prisma.sql`AND i.is_sensitive`, null)],
  ["name search", () => inboxSql(Prisma.sql`AND i.facts->'person'->>'name' LIKE ${"王%"}`, null)],
];
if (inboxModule && typeof (inboxModule as Record<string, unknown>).listReviewInbox === "function") {
  type Query = (a: PersonActor, f: Record<string, unknown>) => Promise<unknown>;
  const { listReviewInbox, countReviewInbox } = inboxModule as { listReviewInbox: Query; countReviewInbox: Query };
  const someName = (await prisma.reviewItem.findFirstOrThrow({ where: { id: ids[ids.length - 1]! }, select: { facts: true } })).facts as {
    person?: { name?: string };
  };
  cases.push(["listReviewInbox() first page", () => listReviewInbox(reviewer, {})]);
  cases.push(["listReviewInbox() recommended", () => listReviewInbox(reviewer, { recommendation: "ANY" })]);
  cases.push(["listReviewInbox() one system", () => listReviewInbox(reviewer, { system: someSystem })]);
  cases.push(["listReviewInbox() search by name", () => listReviewInbox(reviewer, { q: someName.person?.name ?? "王" })]);
  cases.push(["countReviewInbox() (the bulk bar's counts)", () => countReviewInbox(reviewer, {})]);
}
for (const [name, fn] of cases) {
  const s = await measure(name, fn);
  line(`   - ${name}: p50 ${ms(s.p50)} ms, p95 ${ms(s.p95)} ms (target p95 < 100 ms)`);
}

// 3. A bulk decision on 1,000 items.
{
  const t0 = performance.now();
  const r = await inTransaction(
    (tx) => bulkDecideItems(tx, reviewer, { campaignId, itemIds: ids.slice(0, 1000), decision: "KEEP", comment: "bench: bulk keep" }),
    {
      timeoutMs: LONG_TX_MS,
    },
  );
  line(`3. bulk decision on ${r.decided.toLocaleString("en")} items: ${((performance.now() - t0) / 1000).toFixed(2)} s (target < 5 s)`);
}

// 4. 50 reviewers at once.
{
  const reviewers = await prisma.$queryRaw<{ reviewer_id: string }[]>`
    SELECT reviewer_id::text FROM review_item WHERE campaign_id = ${campaignId}::uuid AND status = 'OPEN' AND reviewer_id IS NOT NULL AND reviewer_id <> ${reviewerId}::uuid
    GROUP BY reviewer_id HAVING count(*) >= 20 ORDER BY reviewer_id LIMIT 50`;
  let errors = 0;
  let decided = 0;
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    reviewers.map(async ({ reviewer_id }) => {
      const actor = await personActor(reviewer_id);
      const mine = await prisma.$queryRaw<{ id: string; is_sensitive: boolean }[]>`
        SELECT id::text, is_sensitive FROM review_item WHERE campaign_id = ${campaignId}::uuid AND reviewer_id = ${reviewer_id}::uuid AND status = 'OPEN' ORDER BY id LIMIT 20`;
      for (const item of mine) {
        const s = performance.now();
        try {
          await inTransaction((tx) => decideItem(tx, actor, { itemId: item.id, decision: "KEEP", comment: "bench: still needed" }));
          decided++;
        } catch (error) {
          errors++;
          console.error(error);
        }
        latencies.push(performance.now() - s);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const [dups] = await prisma.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM (SELECT item_id, stage FROM review_item_decision WHERE campaign_id = ${campaignId}::uuid GROUP BY item_id, stage HAVING count(*) > 1) d`;
  line(
    `4. ${reviewers.length} reviewers deciding concurrently: ${decided} decisions in ${((performance.now() - t0) / 1000).toFixed(1)} s, p95 ${ms(latencies[Math.ceil(latencies.length * 0.95) - 1] ?? NaN)} ms, errors ${errors}, double decisions ${dups!.n}`,
  );
}

// 5. The deadline run over ≈closeSize undecided items: a campaign over a slice of the org tree.
{
  const units = await prisma.$queryRaw<{ id: string; n: number }[]>`
    SELECT u.id::text, count(*)::int AS n FROM org_unit u JOIN org_unit d ON d.path LIKE u.path || '%' JOIN person p ON p.org_unit_id = d.id
    JOIN slave_account s ON s.person_id = p.id JOIN access_grant g ON g.slave_account_id = s.id AND g.revoked_at IS NULL AND (g.ends_at IS NULL OR g.ends_at > now())
    WHERE u.parent_id IS NOT NULL GROUP BY u.id ORDER BY abs(count(*) - ${closeSize}) LIMIT 1`;
  const unit = units[0]!;
  const started = await inTransaction(
    (tx) =>
      defineReview(tx, officer, {
        name: `bench: deadline ${new Date().toISOString()}`,
        scope: { orgUnitId: unit.id },
        stages: [{ strategy: "DEPARTMENT_HEAD" }],
        durationDays: 7,
        defaultDecision: "KEEP",
        riskyDefault: "END",
      }),
    { timeoutMs: LONG_TX_MS },
  );
  const t0 = performance.now();
  const counts = await inTransaction((tx) => closeCampaignIn(tx, systemActor("bench"), started.campaign!.campaignId, new Date(), null), {
    timeoutMs: LONG_TX_MS,
  });
  line(
    `5. deadline run: ${counts.defaulted.toLocaleString("en")} default decisions (${counts.ended.toLocaleString("en")} END → ${counts.grantsEnded.toLocaleString("en")} grants ended) in ${((performance.now() - t0) / 1000).toFixed(1)} s (target < 60 s)`,
  );
}

await closeScaleBench(db);
