/**
 * Approvals at scale (issue 4): `npm run bench:approvals` (or, on your own port,
 * `PG_TEST_PORT=<p> npx tsx scripts/with-db.ts npx tsx scripts/bench/approvals.ts`).
 *
 * Runs on a fresh, migrated scratch database (scripts/with-db.ts) and loads, set-based:
 *   - 10,000 pending requests (10,000 distinct employees asking for one standard role), each with one
 *     "any one of five" stage; approver A is on every stage, so A's inbox holds 10,000 open items, and
 *     49 other approvers share the rest (~816 open items each);
 *   - 20,000 decided requests' closed approver rows for A (history the inbox index must skip).
 * Then measures, through the real query and use-case functions:
 *   1. A's inbox: first page, a page 5,000 items deep, the last page, a filtered page, the count — p95;
 *   2. 50 approvers deciding all 10,000 requests concurrently (each working through its own inbox,
 *      each decision its own transaction with the final approval creating account + grant + audit):
 *      zero double decisions, error rate < 0.1%; decision latency p50/p95.
 */
import { randomUUID } from "node:crypto";

process.env.AUTH_SECRET ??= "bench-auth-secret-bench-auth-secret-0123456789";
process.env.APP_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
process.env.APP_BLIND_INDEX_KEY ??= Buffer.alloc(32, 9).toString("base64");
process.env.LOG_LEVEL ??= "silent";
process.env.DB_POOL_MAX ??= "60";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 10_000);
const APPROVERS = 50;
const PER_STAGE = 5;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);

const { getDb, inTransaction } = await import("@/lib/db");
const { systemActor } = await import("@/lib/authz/actor");
const { createOrgUnit } = await import("@/lib/org/create-org-unit");
const { createBusinessSystem } = await import("@/lib/systems/create-business-system");
const { createPermission } = await import("@/lib/systems/permissions");
const { createJobRole } = await import("@/lib/systems/job-roles");
const { changeRoleMatrix } = await import("@/lib/systems/change-role-matrix");
const { listApprovalInbox, countOpenApprovals, approvalInboxSql, InboxFilter } = await import("@/lib/requests/queries");
const { decideRequest } = await import("@/lib/requests/decide-request");
const { DomainError } = await import("@/lib/errors");
type PersonActor = import("@/lib/authz/actor").PersonActor;

const db = getDb();
const actor = systemActor("bench");

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function setup() {
  const t0 = Date.now();
  const unit = await inTransaction((tx) => createOrgUnit(tx, actor, { code: "BENCH", name: "Bench unit" }));
  const system = await inTransaction((tx) =>
    createBusinessSystem(tx, actor, {
      code: "BENCH-SYS",
      name: "Bench system",
      environment: "TEST",
      kind: "BACK_END",
      ownerOrgId: unit.id,
    }),
  );
  const role = await inTransaction(async (tx) => {
    const p = await createPermission(tx, actor, {
      systemId: system.id,
      code: "REPORT.VIEW",
      name: "View reports",
      dataKind: "NONE",
      sensitivity: "LOW",
      operation: "QUERY",
      reason: "bench",
    });
    const r = await createJobRole(tx, actor, { systemId: system.id, code: "VIEWER", name: "Report viewer", reason: "bench" });
    await changeRoleMatrix(tx, actor, { systemId: system.id, add: [{ roleId: r.id, permissionId: p.id }], remove: [], reason: "bench" });
    return r;
  });

  // People: approvers B00000..B00049, requesters/subjects S00001..S10000, with master accounts.
  await db.$executeRaw`
    INSERT INTO person (id, employee_no, name, org_unit_id, job_title, updated_at)
    SELECT gen_random_uuid(), 'B' || lpad(g::text, 5, '0'), 'Approver ' || g, ${unit.id}::uuid, 'Approver', now() FROM generate_series(0, ${APPROVERS - 1}) g
    UNION ALL
    SELECT gen_random_uuid(), 'S' || lpad(g::text, 5, '0'), 'Staff ' || g, ${unit.id}::uuid, 'Staff', now() FROM generate_series(1, ${REQUESTS}) g`;
  await db.$executeRaw`INSERT INTO master_account (id, person_id, updated_at) SELECT gen_random_uuid(), id, now() FROM person WHERE org_unit_id = ${unit.id}::uuid`;

  // Pending requests, one per staff member, created over the last 10 days (distinct timestamps).
  await db.$executeRaw`
    INSERT INTO access_request (id, requester_id, subject_id, system_id, role_id, justification, expires_at, created_at, updated_at)
    SELECT gen_random_uuid(), p.id, p.id, ${system.id}::uuid, ${role.id}::uuid, 'Monthly reporting ' || p.employee_no,
           now() + interval '14 days', now() - (row_number() OVER (ORDER BY p.employee_no)) * interval '60 seconds', now()
    FROM person p WHERE p.employee_no LIKE 'S%' AND p.org_unit_id = ${unit.id}::uuid`;
  await db.$executeRaw`
    INSERT INTO request_stage (id, request_id, position, kind, rule, required_count, named_approver_ids, status, activated_at)
    SELECT gen_random_uuid(), r.id, 0, 'NAMED', 'ANY', 1, '{}', 'ACTIVE', r.created_at FROM access_request r WHERE r.system_id = ${system.id}::uuid`;
  // Approver 0 (A) on every stage, plus four others chosen by the request's number.
  await db.$executeRaw`
    WITH approvers AS (SELECT id, (substr(employee_no, 2))::int AS n FROM person WHERE employee_no LIKE 'B%' AND org_unit_id = ${unit.id}::uuid),
    stages AS (SELECT s.id AS stage_id, r.id AS request_id, r.created_at, r.number FROM request_stage s JOIN access_request r ON r.id = s.request_id WHERE r.system_id = ${system.id}::uuid)
    INSERT INTO stage_approver (id, stage_id, request_id, approver_id, source, is_open, request_created_at)
    SELECT gen_random_uuid(), st.stage_id, st.request_id, a.id, 'RESOLVED', true, st.created_at
    FROM stages st JOIN approvers a ON a.n = 0 OR a.n IN (1 + (st.number * 7) % ${APPROVERS - 1}, 1 + (st.number * 7 + 11) % ${APPROVERS - 1}, 1 + (st.number * 7 + 23) % ${APPROVERS - 1}, 1 + (st.number * 7 + 37) % ${APPROVERS - 1})`;
  // History: closed items of A on 20,000 other (already decided) requests, older than the open ones.
  await db.$executeRaw`
    WITH a AS (SELECT id FROM person WHERE employee_no = 'B00000'),
    old AS (
      INSERT INTO access_request (id, status, requester_id, subject_id, system_id, role_id, justification, expires_at, decided_at, created_at, updated_at)
      SELECT gen_random_uuid(), 'APPROVED', p.id, p.id, ${system.id}::uuid, ${role.id}::uuid, 'History', now(), now() - interval '30 days',
             now() - interval '40 days' - g * interval '1 minute', now()
      FROM generate_series(1, 20000) g JOIN person p ON p.employee_no = 'S' || lpad((1 + g % ${REQUESTS})::text, 5, '0')
      RETURNING id, created_at),
    st AS (INSERT INTO request_stage (id, request_id, position, kind, rule, status) SELECT gen_random_uuid(), id, 0, 'NAMED', 'ANY', 'APPROVED' FROM old RETURNING id, request_id)
    INSERT INTO stage_approver (id, stage_id, request_id, approver_id, source, is_open, request_created_at)
    SELECT gen_random_uuid(), st.id, st.request_id, a.id, 'RESOLVED', false, old.created_at FROM st JOIN old ON old.id = st.request_id CROSS JOIN a`;
  await db.$executeRawUnsafe("ANALYZE");
  const open = await db.stageApprover.count({ where: { isOpen: true } });
  console.log(`setup: ${REQUESTS} pending requests, ${open} open approver items, in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { system, role };
}

async function actorOf(employeeNo: string): Promise<PersonActor> {
  const p = await db.person.findUniqueOrThrow({
    where: { employeeNo },
    select: { id: true, name: true, employeeNo: true, orgUnitId: true, account: { select: { id: true } } },
  });
  return {
    kind: "person",
    personId: p.id,
    accountId: p.account!.id,
    name: p.name,
    employeeNo: p.employeeNo,
    orgUnitId: p.orgUnitId,
    sessionId: null,
    roles: [],
    ctx: { requestId: "bench", ip: null, userAgent: null },
  };
}

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
}

async function inboxBench(a: PersonActor, systemId: string) {
  // Cursors for a page 5,000 items deep and for the last page, found by walking the keyset once.
  let cursor: string | undefined;
  const cursors: string[] = [];
  for (;;) {
    const page = await listApprovalInbox(a, { cursor });
    if (!page.nextCursor) break;
    cursors.push(page.nextCursor);
    cursor = page.nextCursor;
  }
  const deep = cursors[Math.floor(cursors.length / 2)];
  const last = cursors[cursors.length - 1];
  const cases: [string, () => Promise<unknown>][] = [
    ["inbox, first page (50 of 10,000)", () => listApprovalInbox(a, {})],
    ["inbox, page at item 5,000", () => listApprovalInbox(a, { cursor: deep })],
    ["inbox, last page", () => listApprovalInbox(a, { cursor: last })],
    ["inbox, filter standard + system", () => listApprovalInbox(a, { sensitive: "0", system: systemId })],
    ["inbox, search by name prefix", () => listApprovalInbox(a, { q: "Staff 99" })],
    ["inbox, search by employee number", () => listApprovalInbox(a, { q: "s0999" })],
    ["inbox, search by request number", () => listApprovalInbox(a, { q: "REQ-005000" })],
    ["open-approvals count (nav badge)", () => countOpenApprovals(a.personId)],
  ];
  const results: { name: string; p50: number; p95: number }[] = [];
  for (const [name, fn] of cases) {
    for (let i = 0; i < 5; i++) await fn(); // warm
    const times: number[] = [];
    for (let i = 0; i < ROUNDS; i++) times.push((await time(fn))[0]);
    results.push({ name, p50: pct(times, 50), p95: pct(times, 95) });
  }
  console.log(`\n1. Approvals inbox of one approver with ${cursors.length * 50 + 50}±50 open items (${ROUNDS} runs each)`);
  for (const r of results)
    console.log(
      `   ${r.name.padEnd(40)} p50 ${ms(r.p50).padStart(9)}   p95 ${ms(r.p95).padStart(9)}   ${r.p95 < 150 ? "OK" : "OVER 150 ms"}`,
    );
  return results;
}

async function decideBench() {
  const approvers = await Promise.all(Array.from({ length: APPROVERS }, (_, i) => actorOf(`B${String(i).padStart(5, "0")}`)));
  const latencies: number[] = [];
  let decided = 0;
  let lostRaces = 0;
  const errors: string[] = [];
  const t0 = performance.now();
  // Each approver works through their inbox like a person would: a page, decide each item, next page.
  await Promise.all(
    approvers.map(async (a) => {
      for (;;) {
        const page = await listApprovalInbox(a, {});
        if (!page.rows.length) return;
        for (const item of page.rows) {
          const t = performance.now();
          try {
            await inTransaction((tx) =>
              decideRequest(tx, a, { requestId: item.requestId, stageId: item.stageId, outcome: "APPROVE", comment: "ok" }),
            );
            decided += 1;
          } catch (error) {
            // Another approver of the same stage decided first: the expected, translated outcome.
            if (error instanceof DomainError && error.code === "REQUEST_ALREADY_DECIDED") lostRaces += 1;
            else errors.push(error instanceof DomainError ? error.code : String(error).slice(0, 200));
          }
          latencies.push(performance.now() - t);
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const [row] = await db.$queryRaw<{ doubles: number; decisions: number; approved: number; grants: number; open: number }[]>`
    SELECT (SELECT count(*)::int FROM (SELECT stage_id FROM approval_decision GROUP BY stage_id HAVING count(*) > 1) d) AS doubles,
           (SELECT count(*)::int FROM approval_decision) AS decisions,
           (SELECT count(*)::int FROM access_request WHERE status = 'APPROVED' AND grant_id IS NOT NULL) AS approved,
           (SELECT count(*)::int FROM access_grant WHERE request_id IS NOT NULL) AS grants,
           (SELECT count(*)::int FROM stage_approver WHERE is_open) AS open`;
  const attempts = decided + lostRaces + errors.length;
  console.log(`\n2. ${APPROVERS} approvers deciding ${REQUESTS} requests concurrently (${PER_STAGE} approvers per stage, any one decides)`);
  console.log(
    `   ${attempts} attempts in ${seconds.toFixed(1)} s (${(decided / seconds).toFixed(0)} decisions/s): ${decided} decided, ${lostRaces} told "already decided by …", ${errors.length} errors (${((100 * errors.length) / Math.max(1, attempts)).toFixed(3)}%)`,
  );
  console.log(`   decision latency p50 ${ms(pct(latencies, 50))}, p95 ${ms(pct(latencies, 95))}, max ${ms(Math.max(...latencies))}`);
  console.log(
    `   stages with two decisions: ${row!.doubles}; decisions ${row!.decisions}; approved requests with a grant ${row!.approved}; grants ${row!.grants}; open items left ${row!.open}`,
  );
  if (errors.length)
    console.log(
      `   error kinds: ${JSON.stringify(Object.entries(errors.reduce<Record<string, number>>((m, e) => ((m[e] = (m[e] ?? 0) + 1), m), {})).slice(0, 5))}`,
    );
  const ok =
    row!.doubles === 0 &&
    row!.decisions === REQUESTS &&
    row!.approved === REQUESTS &&
    row!.grants === REQUESTS &&
    errors.length / Math.max(1, attempts) < 0.001;
  return { ok, decided, lostRaces, errors: errors.length, seconds };
}

const runId = randomUUID().slice(0, 8);
console.log(`bench:approvals (${runId}) on ${new URL(process.env.DATABASE_URL!).host}, pool ${process.env.DB_POOL_MAX}`);
const { system } = await setup();
if (process.env.BENCH_EXPLAIN) {
  // The plans of the inbox queries, for tuning: BENCH_EXPLAIN=1 stops after printing them.
  const a = await actorOf("B00000");
  const { Prisma } = await import("@/lib/db");
  for (const f of [{}, { q: "Staff 99" }, { q: "S099" }]) {
    const rows = await db.$queryRaw<{ "QUERY PLAN": string }[]>(
      Prisma.sql`EXPLAIN (ANALYZE, BUFFERS) ${approvalInboxSql(a.personId, InboxFilter.parse(f))}`,
    );
    console.log(`\n--- ${JSON.stringify(f)}\n${rows.map((r) => r["QUERY PLAN"]).join("\n")}`);
  }
  await db.$disconnect();
  process.exit(0);
}
const inbox = await inboxBench(await actorOf("B00000"), system.id);
const decided = await decideBench();
await db.$disconnect();
const inboxOk = inbox.every((r) => r.p95 < 150);
console.log(`\nresult: inbox ${inboxOk ? "OK" : "FAILED"} (all p95 < 150 ms), concurrent decisions ${decided.ok ? "OK" : "FAILED"}`);
process.exitCode = inboxOk && decided.ok ? 0 : 1;
