/**
 * `npm run seed:scale`: loads the scale-test data set into its own database (see scripts/bench/scale-db.ts:
 * `portal_scale` on the embedded `.data/postgres-scale` cluster, or `<db>_scale` on DATABASE_URL's server),
 * recreated empty and migrated on every run:
 *
 *   ~2,000 org units (4-level tree)   100,000 people (5% third parties)   100,000 master accounts
 *   300 business systems   6,000 permissions   20,000 job roles   ~80,000 role-permission cells
 *   ~402,000 slave accounts   1,000,000 access grants (~86% live, the rest revoked/expired history)
 *   portal roles for the benchmark actors, and audit events (SCALE_AUDIT_ROWS, default 1,000,000)
 *
 * Everything is set-based (`INSERT … SELECT generate_series(…)`), deterministic (hash of the row
 * number, no random()), and ends with VACUUM ANALYZE. The server runs at nice 10 so a CI run on the
 * same machine keeps its share. The master accounts share one argon2 hash of SCALE_PASSWORD below.
 * Personal data and TOTP secrets are encrypted with the portal's keys (.secrets.local.json or the
 * environment, as `npm start` uses them; decision 0019): the values are generated in SQL, encrypted
 * here in batches and joined into the set-based inserts. Every TOTP-enrolled account (70%, and every
 * benchmark actor) has a real secret, derived from its employee number (lib/seed/scale-totp.ts):
 * `npm run demo:totp -- --scale <employee no>` prints its current code.
 *
 *   npx tsx scripts/seed-scale.ts            SCALE_AUDIT_ROWS=0 to skip the bulk audit rows
 *   PG_SCALE_PORT=… to move the embedded server; the database is left stopped afterwards.
 */
import { hashPassword } from "@/lib/auth/hashing";
import { dayIn } from "@/lib/time/calendar";
import { loadLocalSecrets } from "./lib/local-env";
import { migrate } from "./db/migrate";
import { EMBEDDED_OWNER_ROLE, handDatabaseToOwner } from "./lib/db-roles";
import { dropDatabase, ensureDatabase } from "./lib/postgres";
import { connectScale, startScaleDatabase, stopScaleOnSignals } from "./bench/scale-db";

// Calendar days are the portal's (decision 0016), not the database session's time zone.
const TODAY = dayIn(new Date());

export const SCALE_PASSWORD = "Scale!Portal2026";

const PEOPLE = 100_000;
const SYSTEMS = 300;
const PERMISSIONS_PER_SYSTEM = 20;
const ROLES = 20_000;
const ACCOUNTS_PER_PERSON = 4;
const ORPHAN_ACCOUNTS = 2_000;
const GRANTS = 1_000_000;
const AUDIT_ROWS = Number(process.env.SCALE_AUDIT_ROWS ?? 1_000_000);

const timings: { step: string; ms: number; rows?: number }[] = [];

async function main(): Promise<void> {
  const totalStarted = Date.now();
  loadLocalSecrets(); // the keys the portal will read this data with
  const db = await startScaleDatabase({ nice: 10 });
  stopScaleOnSignals(db);
  process.env.DATABASE_URL = db.url; // lib/env.ts validates it before the encryption helpers run
  try {
    await step("recreate database + migrate", async () => {
      await dropDatabase(db.adminUrl);
      await ensureDatabase(db.adminUrl);
      if (db.embedded) await handDatabaseToOwner(db.adminUrl, EMBEDDED_OWNER_ROLE);
      // As the owner (decision 0024), which then grants the app role what the benchmarks use.
      await migrate(db.ownerUrl, { log: () => {}, appRole: db.appRole });
    });
    const passwordHash = await hashPassword(SCALE_PASSWORD);
    // The bulk load is the owner's: it makes temp tables and a pg_temp function, and VACUUMs what it owns.
    const client = await connectScale(db.ownerUrl);
    try {
      await load(client, passwordHash);
    } finally {
      await client.end();
    }
    // Lets the server recycle the load's WAL now rather than keep it. CHECKPOINT needs a superuser (or
    // pg_checkpoint), which the owner is not (decision 0024): the admin connection issues it, and where
    // that is not privileged either it is skipped (an optimisation, not part of the data).
    const admin = await connectScale(db.adminUrl);
    try {
      await admin.query("CHECKPOINT");
    } catch (error) {
      console.error(`[seed:scale] CHECKPOINT skipped: ${(error as Error).message}`);
    } finally {
      await admin.end();
    }
  } finally {
    await db.stop();
  }
  const total = Date.now() - totalStarted;
  console.log("\nstep                                         time      rows");
  for (const t of timings)
    console.log(`${t.step.padEnd(44)} ${fmt(t.ms).padStart(8)} ${t.rows === undefined ? "" : t.rows.toLocaleString("en-US").padStart(10)}`);
  console.log(`${"total".padEnd(44)} ${fmt(total).padStart(8)}`);
}

type Client = Awaited<ReturnType<typeof connectScale>>;

async function load(c: Client, passwordHash: string): Promise<void> {
  const hasUuidv7 = (await c.query<{ ok: boolean }>("SELECT to_regproc('uuidv7') IS NOT NULL AS ok")).rows[0]?.ok ?? false;
  // Prisma generates uuid(7) ids client-side; do the same in SQL when the server has it (PostgreSQL 18).
  const UUID = hasUuidv7 ? "uuidv7()" : "gen_random_uuid()";
  await c.query(`SET maintenance_work_mem = '256MB'`);
  await c.query(`SET work_mem = '64MB'`);
  // A deterministic pseudo-random non-negative integer per (row number, salt).
  await c.query(`CREATE FUNCTION pg_temp.h(n bigint, salt int) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT (hashint8(n * 1009 + salt)::bigint & 2147483647) $$`);

  // ---- org units: 1 root, 12 divisions, 120 departments, 1,920 teams -------------------------------
  await step("org units", async () => {
    await c.query(`CREATE TEMP TABLE s_org AS
      SELECT n,
        CASE WHEN n = 1 THEN NULL WHEN n <= 13 THEN 1 WHEN n <= 133 THEN 2 + (n - 14) / 10 ELSE 14 + (n - 134) / 16 END AS parent_n,
        CASE WHEN n = 1 THEN 0 WHEN n <= 13 THEN 1 WHEN n <= 133 THEN 2 ELSE 3 END AS level,
        ${UUID} AS id, NULL::text AS path
      FROM generate_series(1, 2053) n`);
    await c.query(`ALTER TABLE s_org ADD PRIMARY KEY (n)`);
    await c.query(`UPDATE s_org SET path = '/' || id || '/' WHERE level = 0`);
    for (const level of [1, 2, 3]) {
      await c.query(`UPDATE s_org ch SET path = pa.path || ch.id || '/' FROM s_org pa WHERE ch.parent_n = pa.n AND ch.level = $1`, [level]);
    }
    const r = await c.query(`INSERT INTO org_unit (id, code, name, name_en, parent_id, path, is_active, created_at, updated_at)
      SELECT o.id, 'U' || lpad(o.n::text, 4, '0'),
        (ARRAY['省分公司', '分公司', '部', '班组'])[o.level + 1] || CASE WHEN o.level = 0 THEN '' ELSE o.n::text END,
        (ARRAY['Provincial Branch', 'Division', 'Department', 'Team'])[o.level + 1] || CASE WHEN o.level = 0 THEN '' ELSE ' ' || o.n END,
        pa.id, o.path, true, now() - interval '6 years', now()
      FROM s_org o LEFT JOIN s_org pa ON pa.n = o.parent_n
      ORDER BY o.n`);
    return r.rowCount ?? 0;
  });

  // ---- vendors and people --------------------------------------------------------------------------
  await step("vendors", async () => {
    const r =
      await c.query(`INSERT INTO vendor (id, name, contact_name, contract_starts_on, contract_ends_on, is_active, created_at, updated_at)
      SELECT ${UUID}, '外包服务商' || lpad(i::text, 2, '0') || '有限公司', '联系人' || i, '${TODAY}'::date - 700, '${TODAY}'::date + (i * 30), true, now(), now()
      FROM generate_series(1, 20) i`);
    await c.query(`CREATE TEMP TABLE s_vendor AS SELECT row_number() OVER (ORDER BY name) AS n, id, name FROM vendor`);
    return r.rowCount ?? 0;
  });

  await step("people", async () => {
    // Attributes first (reused by accounts and grants), then the rows.
    await c.query(`CREATE TEMP TABLE s_person AS
      SELECT n, ${UUID} AS id,
        n % 20 = 0 AS third_party,
        CASE WHEN pg_temp.h(n, 2) % 10 = 0 THEN 2 + pg_temp.h(n, 3) % 132 ELSE 134 + pg_temp.h(n, 3) % 1920 END AS org_n,
        CASE WHEN pg_temp.h(n, 4) % 100 < 92 THEN 'ACTIVE' WHEN pg_temp.h(n, 4) % 100 < 95 THEN 'SUSPENDED' ELSE 'LEFT' END AS status,
        (pg_temp.h(n, 9) % 10)::int AS category
      FROM generate_series(1, ${PEOPLE}) n`);
    await c.query(`ALTER TABLE s_person ADD PRIMARY KEY (n)`);
    await loadEncrypted(
      c,
      "s_pii",
      `SELECT n, '13' || lpad((pg_temp.h(n, 10) % 1000000000)::text, 9, '0') AS phone,
         CASE WHEN pg_temp.h(n, 12) % 10 > 0 THEN 'user' || n || '@scale.example.com' END AS email,
         '1101' || lpad((pg_temp.h(n, 13) % 100000000)::text, 8, '0') || lpad((pg_temp.h(n, 14) % 1000000)::text, 6, '0') AS id_number
       FROM generate_series(1, ${PEOPLE}) n`,
      ["phone_enc", "email_enc", "email_bidx", "id_number_enc", "id_number_bidx"],
      async (rows: { n: number; phone: string; email: string | null; id_number: string }[]) => {
        const { piiColumns } = await import("@/lib/people/pii");
        return rows.map((r) => {
          const p = piiColumns({ phone: r.phone, email: r.email, idNumber: r.id_number });
          return [r.n, p.phoneEnc, p.emailEnc, p.emailIndex, p.idNumberEnc, p.idNumberIndex];
        });
      },
    );
    // Common surnames repeat so their shares look like real ones; 1- and 2-character given names.
    const r = await c.query(`INSERT INTO person (id, employee_no, name, org_unit_id, job_title, employment_type, vendor_name, vendor_id,
        sponsor_id, contract_ends_on, job_categories, status, phone_enc, email_enc, email_bidx, id_number_enc, id_number_bidx, created_at, updated_at)
      SELECT p.id,
        CASE WHEN p.third_party THEN 'V' ELSE 'E' END || lpad(p.n::text, 6, '0'),
        (ARRAY['王','王','王','李','李','李','张','张','张','刘','刘','陈','陈','杨','黄','赵','吴','周','徐','孙','马','朱','胡','郭','何',
               '高','林','罗','郑','梁','谢','宋','唐','许','韩','冯','邓','曹','彭','曾','肖','田','董','袁','潘','于','蒋','蔡','余','杜'])[1 + pg_temp.h(p.n, 5) % 50]
          || (ARRAY['伟','芳','娜','敏','静','丽','强','磊','军','洋','勇','艳','杰','娟','涛','明','超','秀','霞','平','刚','桂','英','华','建',
                    '文','辉','玲','红','鹏','飞','宇','浩','婷','欣','雪','琳','晨','凯','斌','波','峰','海','鑫','俊','帆','倩','宁','亮','阳'])[1 + pg_temp.h(p.n, 6) % 50]
          || CASE WHEN pg_temp.h(p.n, 7) % 3 > 0
               THEN (ARRAY['伟','芳','娜','敏','静','丽','强','磊','军','洋','勇','艳','杰','娟','涛','明','超','秀','霞','平','刚','桂','英','华','建',
                           '文','辉','玲','红','鹏','飞','宇','浩','婷','欣','雪','琳','晨','凯','斌','波','峰','海','鑫','俊','帆','倩','宁','亮','阳'])[1 + pg_temp.h(p.n, 8) % 50]
               ELSE '' END,
        o.id,
        (ARRAY['产品研发','市场政策与策划','业务管理','运营系统支撑','服务营销','服务营销（渠道）','运行维护（主机管理员）','运行维护（应用管理员）','开发测试','生产运营'])[p.category + 1]
          || CASE WHEN p.third_party THEN '（外包）' ELSE '' END,
        (CASE WHEN p.third_party THEN 'THIRD_PARTY' ELSE 'EMPLOYEE' END)::"EmploymentType",
        CASE WHEN p.third_party THEN v.name END,
        CASE WHEN p.third_party THEN v.id END,
        CASE WHEN p.third_party THEN sp.id END,
        CASE WHEN p.third_party THEN '${TODAY}'::date + (pg_temp.h(p.n, 11) % 700)::int - 100 END,
        ARRAY[(enum_range(NULL::"JobCategory"))[p.category + 1]],
        p.status::"PersonStatus",
        pii.phone_enc, pii.email_enc, pii.email_bidx, pii.id_number_enc, pii.id_number_bidx,
        now() - make_interval(days => (pg_temp.h(p.n, 15) % 2000)::int), now()
      FROM s_person p
      JOIN s_pii pii ON pii.n = p.n
      JOIN s_org o ON o.n = p.org_n
      LEFT JOIN s_vendor v ON v.n = 1 + pg_temp.h(p.n, 16) % 20
      LEFT JOIN s_person sp ON sp.n = p.n - 1
      ORDER BY p.n`);
    return r.rowCount ?? 0;
  });

  await step("master accounts", async () => {
    // 70% enrolled in TOTP, and every benchmark actor (the first 500 active employees, see the portal
    // roles below): each with its real, encrypted secret.
    await loadEncrypted(
      c,
      "s_totp",
      `SELECT p.n, pe.employee_no FROM s_person p JOIN person pe ON pe.id = p.id
       WHERE pg_temp.h(p.n, 19) % 10 < 7
          OR p.n IN (SELECT n FROM s_person WHERE status = 'ACTIVE' AND NOT third_party ORDER BY n LIMIT 500)`,
      ["totp_secret_enc"],
      async (rows: { n: number; employee_no: string }[]) => {
        const { encryptSecret } = await import("@/lib/crypto");
        const { scaleTotpSecret } = await import("@/lib/seed/scale-totp");
        return rows.map((r) => [r.n, encryptSecret(scaleTotpSecret(r.employee_no))]);
      },
    );
    const r = await c.query(
      `INSERT INTO master_account (id, person_id, status, password_hash, password_changed_at, must_change_password, failed_attempts,
         totp_enrolled_at, totp_secret_enc, last_sign_in_at, created_at, updated_at)
       SELECT ${UUID}, p.id,
         (CASE WHEN p.status = 'LEFT' THEN 'DISABLED' WHEN pg_temp.h(p.n, 17) % 100 = 0 THEN 'LOCKED' ELSE 'ACTIVE' END)::"AccountStatus",
         $1, now() - make_interval(days => (pg_temp.h(p.n, 18) % 90)::int), false, 0,
         CASE WHEN t.n IS NOT NULL THEN now() - interval '200 days' END, t.totp_secret_enc,
         CASE WHEN pg_temp.h(p.n, 19) % 10 < 8 THEN now() - make_interval(mins => (pg_temp.h(p.n, 20) % 100000)::int) END,
         now() - interval '2 years', now()
       FROM s_person p LEFT JOIN s_totp t ON t.n = p.n ORDER BY p.n`,
      [passwordHash],
    );
    return r.rowCount ?? 0;
  });

  // ---- business systems, permissions, job roles, the matrix -----------------------------------------
  await step("business systems", async () => {
    await c.query(`CREATE TEMP TABLE s_sys AS SELECT s, ${UUID} AS id FROM generate_series(0, ${SYSTEMS - 1}) s`);
    await c.query(`ALTER TABLE s_sys ADD PRIMARY KEY (s)`);
    const r =
      await c.query(`INSERT INTO business_system (id, code, name, name_en, description, environment, kind, owner_org_id, is_connected, is_active, created_at, updated_at)
      SELECT y.id, 'SYS' || lpad((y.s + 1)::text, 3, '0'), '业务系统' || (y.s + 1), 'Business system ' || (y.s + 1), NULL,
        (CASE WHEN y.s % 10 = 9 THEN 'TEST' ELSE 'PRODUCTION' END)::"SystemEnvironment",
        (ARRAY['FRONT_END', 'BACK_END', 'PLATFORM'])[1 + y.s % 3]::"SystemKind",
        o.id, y.s % 4 = 0, true, now() - interval '5 years', now()
      FROM s_sys y JOIN s_org o ON o.n = 2 + y.s % 132 ORDER BY y.s`);
    return r.rowCount ?? 0;
  });

  await step("permissions", async () => {
    // Per system: k 0-1 EXTREME, 2-4 SENSITIVE (25% sensitive), 5-11 RELATIVE, 12-19 LOW.
    await c.query(
      `CREATE TEMP TABLE s_perm AS SELECT y.s, k, ${UUID} AS id FROM s_sys y CROSS JOIN generate_series(0, ${PERMISSIONS_PER_SYSTEM - 1}) k`,
    );
    await c.query(`ALTER TABLE s_perm ADD PRIMARY KEY (s, k)`);
    const r =
      await c.query(`INSERT INTO permission (id, system_id, code, name, name_en, data_kind, sensitivity, operation, is_log_management, is_account_creation, is_active, created_at, updated_at)
      SELECT pm.id, y.id, 'P' || lpad(pm.k::text, 2, '0'), '权限' || pm.k, 'Permission ' || pm.k,
        (CASE WHEN pm.k < 5 THEN (ARRAY['IDENTITY', 'USER_DATA', 'SERVICE_DATA'])[1 + pm.k % 3] WHEN pm.k < 10 THEN 'SERVICE_DATA' ELSE 'NONE' END)::"DataKind",
        (CASE WHEN pm.k < 2 THEN 'EXTREME' WHEN pm.k < 5 THEN 'SENSITIVE' WHEN pm.k < 12 THEN 'RELATIVE' ELSE 'LOW' END)::"Sensitivity",
        (enum_range(NULL::"PermissionOperation"))[1 + (pm.k + pm.s) % 9],
        pm.k = 19 AND pm.s % 3 = 1, pm.k = 18, true, now() - interval '5 years', now()
      FROM s_perm pm JOIN s_sys y ON y.s = pm.s ORDER BY pm.s, pm.k`);
    return r.rowCount ?? 0;
  });

  await step("job roles", async () => {
    // Role r belongs to system r % 300 (66-67 roles each); index 0 is the system's administrator role.
    // ~10% of the others carry one sensitive permission.
    await c.query(`CREATE TEMP TABLE s_role AS
      SELECT r, r % ${SYSTEMS} AS s, r / ${SYSTEMS} AS idx, ${UUID} AS id,
        (r / ${SYSTEMS} = 0 OR pg_temp.h(r, 40) % 10 = 0) AS sensitive
      FROM generate_series(0, ${ROLES - 1}) r`);
    await c.query(`ALTER TABLE s_role ADD PRIMARY KEY (r)`);
    const r =
      await c.query(`INSERT INTO job_role (id, system_id, code, name, name_en, is_administrative, is_requestable, is_active, created_at, updated_at)
      SELECT ro.id, y.id, 'R' || lpad(ro.idx::text, 3, '0'), CASE WHEN ro.idx = 0 THEN '系统管理员' ELSE '岗位角色' || ro.idx END,
        CASE WHEN ro.idx = 0 THEN 'System administrator' ELSE 'Job role ' || ro.idx END,
        ro.idx = 0, ro.idx <> 0, true, now() - interval '5 years', now()
      FROM s_role ro JOIN s_sys y ON y.s = ro.s ORDER BY ro.r`);
    return r.rowCount ?? 0;
  });

  await step("role-permission matrix", async () => {
    // 4 open cells per role (sensitive roles: 1 sensitive + 3 other; administrator roles a 5th,
    // sensitive one); 5% of roles also have an ended cell (history for the "as of" roster).
    const r = await c.query(`INSERT INTO role_permission (id, role_id, permission_id, starts_at, ends_at)
      SELECT ${UUID}, ro.id, pm.id, cell.starts_at, cell.ends_at
      FROM s_role ro
      CROSS JOIN LATERAL (
        SELECT CASE WHEN ro.sensitive AND j = 0 THEN pg_temp.h(ro.r, 41) % 5 ELSE 5 + (pg_temp.h(ro.r, 42) + j * 4) % 15 END AS k,
               now() - interval '4 years' AS starts_at, NULL::timestamptz AS ends_at
        FROM generate_series(0, 3) j
        UNION ALL
        SELECT (pg_temp.h(ro.r, 41) + 1) % 5, now() - interval '4 years', NULL WHERE ro.idx = 0
        UNION ALL
        SELECT pg_temp.h(ro.r, 44) % 5, now() - interval '4 years', now() - interval '200 days' WHERE pg_temp.h(ro.r, 43) % 20 = 0
      ) cell
      JOIN s_perm pm ON pm.s = ro.s AND pm.k = cell.k
      ORDER BY ro.r`);
    return r.rowCount ?? 0;
  });

  // ---- slave accounts and grants ---------------------------------------------------------------------
  await step("slave accounts", async () => {
    // Account a = k * 100,000 + (person - 1): k = 0 in one of the 10 large systems, k = 1..3 in three
    // distinct other systems. People who left have deleted accounts. Plus orphans (no owner).
    await c.query(`CREATE TEMP TABLE s_sa AS
      SELECT a, p.n AS person_n, p.id AS person_id,
        CASE WHEN k = 0 THEN p.n % 10 ELSE 10 + (pg_temp.h(p.n, 21) + k * 97) % 290 END AS s,
        CASE WHEN p.status = 'LEFT' THEN 'DELETED' WHEN pg_temp.h(a, 22) % 100 < 2 THEN 'LOCKED' WHEN pg_temp.h(a, 22) % 100 < 3 THEN 'DISABLED' ELSE 'ACTIVE' END AS status,
        ${UUID} AS id
      FROM generate_series(0, ${ACCOUNTS_PER_PERSON * PEOPLE - 1}) a
      CROSS JOIN LATERAL (SELECT a / ${PEOPLE} AS k) kk
      JOIN s_person p ON p.n = a % ${PEOPLE} + 1`);
    await c.query(`ALTER TABLE s_sa ADD PRIMARY KEY (a)`);
    const r =
      await c.query(`INSERT INTO slave_account (id, system_id, person_id, login_name, status, basis, last_login_at, created_at, updated_at)
      SELECT sa.id, y.id, sa.person_id, lower(pe.employee_no), sa.status::"SlaveAccountStatus", 'HR onboarding',
        now() - make_interval(mins => (pg_temp.h(sa.a, 23) % 200000)::int), now() - make_interval(days => 1100 + (pg_temp.h(sa.a, 24) % 400)::int), now()
      FROM s_sa sa JOIN s_sys y ON y.s = sa.s JOIN person pe ON pe.id = sa.person_id
      `);
    const o = await c.query(`INSERT INTO slave_account (id, system_id, person_id, login_name, status, basis, created_at, updated_at)
      SELECT ${UUID}, y.id, NULL, 'svc' || lpad(i::text, 5, '0'), 'ACTIVE', 'found by reconciliation', now() - interval '1 year', now()
      FROM generate_series(1, ${ORPHAN_ACCOUNTS}) i JOIN s_sys y ON y.s = i % ${SYSTEMS}`);
    return (r.rowCount ?? 0) + (o.rowCount ?? 0);
  });

  await step("access grants", async () => {
    // Grant g: account g % 400,000, its (g / 400,000)-th role (distinct roles per account); 10% are
    // history (half revoked, half expired), grants of deleted accounts are revoked (offboarding), and 5%
    // of the live ones are temporary (end date ahead).
    const accounts = ACCOUNTS_PER_PERSON * PEOPLE;
    const r = await c.query(`INSERT INTO access_grant (id, slave_account_id, role_id, starts_at, ends_at, reason, basis, granted_by_id,
        revoked_at, revoked_by_id, revoke_reason, created_at)
      SELECT ${UUID}, x.account_id, ro.id, x.starts_at,
        CASE WHEN x.kind = 'expired' THEN x.ended_at WHEN x.kind = 'live' AND pg_temp.h(x.g, 36) % 20 = 0 THEN now() + make_interval(days => 1 + (pg_temp.h(x.g, 37) % 180)::int) END,
        'scale seed grant', 'REQ-' || x.g, NULL,
        CASE WHEN x.kind <> 'live' THEN x.ended_at END, NULL,
        CASE x.kind WHEN 'expired' THEN 'expired' WHEN 'revoked' THEN 'no longer needed' WHEN 'offboarded' THEN 'offboarding' END,
        x.starts_at
      FROM (
        SELECT g, sa.id AS account_id, sa.s, sa.a,
          (pg_temp.h(sa.a, 30) + (g / ${accounts}) * 7) % (CASE WHEN sa.s < ${ROLES % SYSTEMS} THEN ${Math.ceil(ROLES / SYSTEMS)} ELSE ${Math.floor(ROLES / SYSTEMS)} END) AS role_idx,
          now() - make_interval(days => d.start_days, secs => (pg_temp.h(g, 32) % 86400)::int) AS starts_at,
          now() - make_interval(days => (pg_temp.h(g, 35) % d.start_days)::int) AS ended_at,
          CASE WHEN sa.status = 'DELETED' THEN 'offboarded' WHEN pg_temp.h(g, 33) % 10 <> 0 THEN 'live'
               WHEN pg_temp.h(g, 34) % 2 = 0 THEN 'revoked' ELSE 'expired' END AS kind
        FROM generate_series(0, ${GRANTS - 1}) g
        JOIN s_sa sa ON sa.a = g % ${accounts}
        CROSS JOIN LATERAL (SELECT (1 + pg_temp.h(g, 31) % 1000)::int AS start_days) d
      ) x
      JOIN s_role ro ON ro.r = x.role_idx * ${SYSTEMS} + x.s
      `);
    return r.rowCount ?? 0;
  });

  // ---- portal roles for the benchmark actors ---------------------------------------------------------
  await step("portal roles + org heads", async () => {
    // Active employees in row order: #1 security officer, #2 HR, #3 system admin, #4..#303 account
    // administrators of SYS001..SYS300, #304..#435 approvers (and heads) of the 132 divisions/departments.
    await c.query(`CREATE TEMP TABLE s_staff AS
      SELECT row_number() OVER (ORDER BY n) AS rn, id FROM s_person WHERE status = 'ACTIVE' AND NOT third_party ORDER BY n LIMIT 500`);
    let count = 0;
    const add = async (sql: string) => {
      const r = await c.query(sql);
      count += r.rowCount ?? 0;
    };
    await add(`INSERT INTO portal_role_assignment (id, person_id, role, created_at)
      SELECT ${UUID}, id, (ARRAY['SECURITY_OFFICER', 'HR', 'SYSTEM_ADMIN'])[rn]::"PortalRole", now() FROM s_staff WHERE rn <= 3`);
    await add(`INSERT INTO portal_role_assignment (id, person_id, role, system_id, created_at)
      SELECT ${UUID}, st.id, 'ACCOUNT_ADMIN', y.id, now() FROM s_staff st JOIN s_sys y ON y.s = st.rn - 4`);
    await add(`INSERT INTO portal_role_assignment (id, person_id, role, org_unit_id, created_at)
      SELECT ${UUID}, st.id, 'APPROVER', o.id, now() FROM s_staff st JOIN s_org o ON o.n = st.rn - 302 WHERE st.rn BETWEEN 304 AND 435`);
    await c.query(
      `UPDATE org_unit u SET head_id = st.id FROM s_org o JOIN s_staff st ON st.rn = o.n + 302 WHERE u.id = o.id AND o.n BETWEEN 2 AND 133`,
    );
    return count;
  });

  // ---- audit trail -------------------------------------------------------------------------------------
  await step("audit: summary row", async () => {
    await c.query(
      `INSERT INTO audit_event (actor_name, action, target_type, summary, reason)
      VALUES ('scale-seed', 'person.created', 'person', $1::jsonb, 'scripts/seed-scale.ts: bulk-loaded scale-test data (not through the use cases)')`,
      [JSON.stringify({ seed: "scale", people: PEOPLE, systems: SYSTEMS, roles: ROLES, grants: GRANTS, auditRows: AUDIT_ROWS })],
    );
    return 1;
  });

  if (AUDIT_ROWS > 0) {
    // Goes through the hash-chain trigger like every other insert (row by row under the chain lock),
    // so the chain stays verifiable. In batches, so progress shows and no single statement runs long.
    const batch = 100_000;
    for (let from = 0; from < AUDIT_ROWS; from += batch) {
      const to = Math.min(AUDIT_ROWS, from + batch);
      await step(`audit: events ${from.toLocaleString("en-US")}-${to.toLocaleString("en-US")}`, async () => {
        const r =
          await c.query(`INSERT INTO audit_event (actor_id, actor_name, action, target_type, target_id, summary, reason, basis, request_id, ip, user_agent)
          SELECT p.id, '员工' || p.n || ' (E' || lpad(p.n::text, 6, '0') || ')', a.action, a.target_type,
            CASE WHEN a.target_type IS NOT NULL THEN t.id::text END,
            CASE WHEN a.action LIKE 'grant.%' THEN jsonb_build_object('role', 'R' || (i % 67), 'system', 'SYS' || lpad((1 + i % 300)::text, 3, '0')) END,
            CASE WHEN a.action = 'grant.revoked' THEN 'no longer needed' END,
            CASE WHEN a.action LIKE 'grant.%' THEN 'REQ-' || i END,
            'scale-' || i, '10.' || (i % 250) || '.' || (i / 250 % 250) || '.' || (i % 200 + 1), 'Mozilla/5.0 (scale seed)'
          FROM generate_series(${from + 1}, ${to}) i
          JOIN s_person p ON p.n = 1 + pg_temp.h(i, 50) % ${PEOPLE}
          JOIN s_person t ON t.n = 1 + pg_temp.h(i, 51) % ${PEOPLE}
          CROSS JOIN LATERAL (SELECT (ARRAY[
              'auth.sign-in.succeeded', 'auth.sign-in.succeeded', 'auth.sign-in.succeeded', 'auth.sign-in.succeeded', 'auth.sign-out',
              'auth.sign-in.failed', 'grant.created', 'grant.created', 'grant.revoked', 'person.pii.revealed'])[1 + pg_temp.h(i, 52) % 10] AS action) aa
          CROSS JOIN LATERAL (SELECT aa.action,
              CASE WHEN aa.action LIKE 'auth.%' THEN NULL WHEN aa.action LIKE 'grant.%' THEN 'grant' ELSE 'person' END AS target_type) a
          ORDER BY i`);
        return r.rowCount ?? 0;
      });
    }
  }

  await step("vacuum analyze", async () => {
    await c.query("VACUUM (ANALYZE)");
  });

  const counts = await c.query<{ t: string; n: string }>(`
    SELECT 'org_unit' AS t, count(*)::text AS n FROM org_unit UNION ALL SELECT 'person', count(*)::text FROM person
    UNION ALL SELECT 'master_account', count(*)::text FROM master_account UNION ALL SELECT 'business_system', count(*)::text FROM business_system
    UNION ALL SELECT 'permission', count(*)::text FROM permission UNION ALL SELECT 'job_role', count(*)::text FROM job_role
    UNION ALL SELECT 'role_permission', count(*)::text FROM role_permission UNION ALL SELECT 'slave_account', count(*)::text FROM slave_account
    UNION ALL SELECT 'access_grant', count(*)::text FROM access_grant
    UNION ALL SELECT 'access_grant (live)', count(*)::text FROM access_grant WHERE revoked_at IS NULL
    UNION ALL SELECT 'audit_event', count(*)::text FROM audit_event
    UNION ALL SELECT 'database size', pg_size_pretty(pg_database_size(current_database()))`);
  console.log("\nloaded:");
  for (const row of counts.rows)
    console.log(`  ${row.t.padEnd(22)} ${/^\d+$/.test(row.n) ? Number(row.n).toLocaleString("en-US") : row.n}`);
  const actors = await c.query<{ role: string; employee_no: string; scope: string | null }>(`
    SELECT DISTINCT ON (a.role) a.role::text, p.employee_no, coalesce(y.code, o.code) AS scope
    FROM portal_role_assignment a JOIN person p ON p.id = a.person_id
    LEFT JOIN business_system y ON y.id = a.system_id LEFT JOIN org_unit o ON o.id = a.org_unit_id
    ORDER BY a.role, p.employee_no`);
  console.log(`\nbenchmark actors (password ${SCALE_PASSWORD}; second factor: npm run demo:totp -- --scale <employee no>):`);
  for (const a of actors.rows) console.log(`  ${a.role.padEnd(17)} ${a.employee_no}${a.scope ? ` (${a.scope})` : ""}`);
}

/**
 * Runs `select` (a column `n` plus the plain values), turns its rows into encrypted columns in Node
 * (`encrypt`: [n, ...columns] per row), and loads them into temp table `table` (n PRIMARY KEY, columns
 * text) in batches, for the set-based inserts to join. Plain text never reaches a table.
 */
async function loadEncrypted<R>(
  c: Client,
  table: string,
  select: string,
  columns: string[],
  encrypt: (rows: R[]) => Promise<(string | number | null)[][]>,
): Promise<void> {
  await c.query(`CREATE TEMP TABLE ${table} (n bigint PRIMARY KEY, ${columns.map((col) => `${col} text`).join(", ")})`);
  const rows = (await c.query(select)).rows as R[];
  const batch = 10_000;
  for (let i = 0; i < rows.length; i += batch) {
    const out = await encrypt(rows.slice(i, i + batch));
    const arrays = [out.map((r) => r[0]), ...columns.map((_, k) => out.map((r) => r[k + 1] ?? null))];
    await c.query(
      `INSERT INTO ${table} (n, ${columns.join(", ")}) SELECT * FROM unnest($1::bigint[], ${columns.map((_, k) => `$${k + 2}::text[]`).join(", ")})`,
      arrays,
    );
  }
}

async function step(name: string, fn: () => Promise<number | void>): Promise<void> {
  const started = Date.now();
  process.stdout.write(`[seed:scale] ${name} …`);
  const rows = await fn();
  const ms = Date.now() - started;
  timings.push({ step: name, ms, rows: typeof rows === "number" ? rows : undefined });
  process.stdout.write(` ${fmt(ms)}${typeof rows === "number" ? ` (${rows.toLocaleString("en-US")} rows)` : ""}\n`);
}

function fmt(ms: number): string {
  return ms < 10_000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

await main().catch((error: unknown) => {
  console.error(`\n[seed:scale] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
