/**
 * The audit trail at operator scale (issue 14 §3): `npm run bench:audit` (or, on your own port,
 * `PG_TEST_PORT=<p> npx tsx scripts/with-db.ts npx tsx scripts/bench/audit.ts`).
 *
 * Runs on a fresh, migrated scratch database (scripts/with-db.ts). As the owner it loads, set-based
 * (INSERT … SELECT generate_series, one statement per million rows):
 *   - BENCH_AUDIT_ROWS audit events (default 10,000,000) over a year, 40 actions, 5,000 actors, a third of
 *     them about one grant (target_type 'grant') of a pool of 1,000,000 grants;
 *   - every 50th event a bulk event (an offboarding, an import) with 20 items: grants of that pool and
 *     the person holding them (4,000,000 items at 10M events);
 *   - on top, the newest BENCH_AUDIT_HEAVY events (default 60) are as heavy as the app can write: the
 *     longest reason and basis, a summary of ~20 KB, 20,000 items each.
 * The chain trigger is switched off for the load (the owner may; this is a scratch database and the
 * chain is not what is measured) and on again after it. Then, as the app role, it times what the
 * portal runs: listAuditEvents (the /audit page's query) filtered by a grant id for 200 random grants
 * (touched by a target or an item), by a person, the newest page with no filter, a page of the
 * heaviest event's items (listAuditItems), and reports p50/p95/max.
 */
process.env.AUTH_SECRET ??= "bench-auth-secret-bench-auth-secret-0123456789";
process.env.APP_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
process.env.APP_BLIND_INDEX_KEY ??= Buffer.alloc(32, 9).toString("base64");
process.env.AUDIT_SIGNING_KEY ??= Buffer.alloc(32, 5).toString("base64");
process.env.LOG_LEVEL ??= "silent";

import pg from "pg";

const ROWS = Number(process.env.BENCH_AUDIT_ROWS ?? 10_000_000);
const HEAVY = Number(process.env.BENCH_AUDIT_HEAVY ?? 60);
const GRANTS = 1_000_000;
const PEOPLE = 100_000;
const CHUNK = 1_000_000;
const RUNS = 200;

const ownerUrl = process.env.DATABASE_OWNER_URL;
if (!ownerUrl || !process.env.DATABASE_URL) throw new Error("run through scripts/with-db.ts (npm run bench:audit)");

const owner = new pg.Client({ connectionString: ownerUrl });
await owner.connect();

function fmt(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await fn();
  console.log(`${label.padEnd(52)} ${fmt(performance.now() - t0).padStart(10)}`);
  return out;
}

// A deterministic UUID per (kind, n): grant n, person n.
const uuidOf = (salt: string, n: string) =>
  `(substr(md5('${salt}' || ${n}), 1, 8) || '-' || substr(md5('${salt}' || ${n}), 9, 4) || '-4' || substr(md5('${salt}' || ${n}), 14, 3) || '-8' || substr(md5('${salt}' || ${n}), 18, 3) || '-' || substr(md5('${salt}' || ${n}), 21, 12))`;
const grantOf = (n: string) => uuidOf("grant", n);
const personOf = (n: string) => uuidOf("person", n);

async function load(): Promise<void> {
  await owner.query("SET maintenance_work_mem = '256MB'");
  await owner.query("ALTER TABLE audit_event DISABLE TRIGGER audit_event_chain");
  const actions = [
    "grant.created",
    "grant.revoked",
    "grant.expired",
    "request.submitted",
    "request.approved",
    "person.updated",
    "slave-account.created",
    "slave-account.disabled",
    "auth.sign-in.succeeded",
    "api.called",
  ];
  for (let start = 1; start <= ROWS; start += CHUNK) {
    const end = Math.min(ROWS, start + CHUNK - 1);
    await timed(`audit_event ${start.toLocaleString("en-US")}–${end.toLocaleString("en-US")}`, () =>
      owner.query(
        `INSERT INTO audit_event (id, occurred_at, actor_id, actor_name, action, target_type, target_id, summary, reason, request_id, ip, prev_hash, hash)
         SELECT n, now() - interval '365 days' + (n::float8 / $3) * interval '365 days',
           CASE WHEN n % 7 = 0 THEN NULL ELSE ${personOf("(n % 5000)::text")}::uuid END,
           'Bench actor ' || (n % 5000),
           CASE WHEN n % 50 = 0 THEN 'grant.revoked' ELSE ($4::text[])[1 + (hashint8(n) & 2147483647) % 10] END,
           CASE WHEN n % 50 = 0 THEN 'person' WHEN n % 3 = 0 THEN 'grant' ELSE 'person' END,
           CASE WHEN n % 50 = 0 THEN ${personOf("((n / 50) % " + PEOPLE + ")::text")}
                WHEN n % 3 = 0 THEN ${grantOf("((hashint8(n) & 2147483647) % " + GRANTS + ")::text")}
                ELSE ${personOf("((hashint8(n + 1) & 2147483647) % " + PEOPLE + ")::text")} END,
           CASE WHEN n % 50 = 0 THEN jsonb_build_object('cause', 'person-left', 'count', 20, 'items', jsonb_build_object('count', 20, 'digest', md5(n::text), 'kinds', jsonb_build_object('grant', 20)))
                ELSE jsonb_build_object('before', jsonb_build_object('status', 'ACTIVE'), 'after', jsonb_build_object('status', 'LOCKED')) END,
           CASE WHEN n % 4 = 0 THEN 'Bench reason ' || n END,
           'req-' || n, '10.0.' || (n % 250) || '.' || (n % 200),
           md5((n - 1)::text), md5(n::text)
         FROM generate_series($1::bigint, $2::bigint) n`,
        [start, end, ROWS, actions],
      ),
    );
  }
  await timed("audit_event_item (every 50th event × 20 grants)", () =>
    owner.query(
      `INSERT INTO audit_event_item (event_id, position, kind, subject_id, person_id, detail)
       SELECT e, k, 'grant', ${grantOf("((hashint8(e * 31 + k) & 2147483647) % " + GRANTS + ")::text")}, ${personOf("((e / 50) % " + PEOPLE + ")::text")},
              jsonb_build_object('roleCode', 'R' || (e + k) % 20000, 'loginName', 'u' || (e / 50) % ${PEOPLE})
       FROM generate_series(50, $1::bigint, 50) e, generate_series(0, 19) k`,
      [ROWS],
    ),
  );
  // The heaviest newest events the app can write: reason and basis at their clip lengths, a ~20 KB summary, 20,000 items.
  await timed(`${HEAVY} heavy newest events`, async () => {
    await owner.query(
      `INSERT INTO audit_event (id, occurred_at, actor_name, action, target_type, target_id, summary, reason, basis, user_agent, prev_hash, hash)
       SELECT $1::bigint + h, now(), repeat('名', 200), 'grant.revoked', 'person', ${personOf("h::text")},
              jsonb_build_object('cause', 'contract-ended', 'count', 20000, 'note', repeat('长', 6000),
                                 'items', jsonb_build_object('count', 20000, 'digest', md5(h::text), 'kinds', jsonb_build_object('grant', 20000))),
              repeat('理', 2000), repeat('据', 500), repeat('U', 500), md5(h::text), md5((h + 1)::text)
       FROM generate_series(1, $2::int) h`,
      [ROWS, HEAVY],
    );
    await owner.query(
      `INSERT INTO audit_event_item (event_id, position, kind, subject_id, person_id, detail)
       SELECT $1::bigint + h, k, 'grant', ${grantOf("((h * 20000 + k) % " + GRANTS + ")::text")}, ${personOf("((h * 7 + k) % " + PEOPLE + ")::text")},
              jsonb_build_object('roleCode', repeat('R', 60), 'loginName', repeat('l', 60))
       FROM generate_series(1, $2::int) h, generate_series(0, 19999) k`,
      [ROWS, HEAVY],
    );
  });
  await owner.query(`SELECT setval(pg_get_serial_sequence('audit_event', 'id'), (SELECT max(id) FROM audit_event))`);
  await owner.query("ALTER TABLE audit_event ENABLE TRIGGER audit_event_chain");
  await timed("VACUUM ANALYZE audit tables", async () => {
    await owner.query("VACUUM (ANALYZE) audit_event");
    await owner.query("VACUUM (ANALYZE) audit_event_item");
  });
  const size = await owner.query<{ events: string; items: string }>(
    `SELECT pg_size_pretty(pg_total_relation_size('audit_event')) AS events, pg_size_pretty(pg_total_relation_size('audit_event_item')) AS items`,
  );
  console.log(`sizes: audit_event ${size.rows[0]!.events}, audit_event_item ${size.rows[0]!.items} (with indexes)`);
}

function stats(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `p50 ${fmt(at(0.5))}  p95 ${fmt(at(0.95))}  max ${fmt(s.at(-1)!)}  (n=${s.length})`;
}

async function measure(): Promise<void> {
  const { listAuditEvents, listAuditItems } = await import("@/lib/audit/queries");
  const tz = "Asia/Shanghai";
  const sample = async (label: string, ids: string[], fn: (id: string) => Promise<unknown>) => {
    for (const id of ids.slice(0, 5)) await fn(id); // warm-up
    const times: number[] = [];
    for (const id of ids) {
      const t0 = performance.now();
      await fn(id);
      times.push(performance.now() - t0);
    }
    console.log(`${label.padEnd(52)} ${stats(times)}`);
  };
  const grantIds = (
    await owner.query<{ id: string }>(
      `SELECT ${grantOf("((hashint8(n * 977) & 2147483647) % " + GRANTS + ")::text")} AS id FROM generate_series(1, ${RUNS}) n`,
    )
  ).rows.map((r) => r.id);
  const personIds = (
    await owner.query<{ id: string }>(
      `SELECT ${personOf("((hashint8(n * 991) & 2147483647) % " + PEOPLE + ")::text")} AS id FROM generate_series(1, ${RUNS}) n`,
    )
  ).rows.map((r) => r.id);
  let found = 0;
  await sample("events touching one grant (first page)", grantIds, async (id) => {
    found += (await listAuditEvents({ subject: id }, tz)).rows.length;
  });
  console.log(`  ${(found / grantIds.length).toFixed(1)} events per grant on average`);
  await sample("events touching one person (first page)", personIds, (id) => listAuditEvents({ subject: id }, tz));
  await sample("events about one grant, action grant.revoked", grantIds, (id) =>
    listAuditEvents({ subject: id, action: "grant.revoked" }, tz),
  );
  await sample(
    "newest page, no filter",
    Array.from({ length: 50 }, () => ""),
    () => listAuditEvents({}, tz),
  );
  await sample(
    "a page of the heaviest event's items",
    Array.from({ length: 50 }, (_, i) => String(i * 400)),
    (after) => listAuditItems(BigInt(ROWS + 1), after === "0" ? undefined : after),
  );
  const page = await listAuditEvents({}, tz);
  const json = JSON.stringify(page.rows, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  console.log(
    `newest page's rows as read from the database: ${(json.length / 1024).toFixed(0)} KB (the page shows a bounded summary of each)`,
  );
}

try {
  await load();
  await measure();
} finally {
  await owner.end();
  const { getDb } = await import("@/lib/db");
  await getDb().$disconnect();
}
