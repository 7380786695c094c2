/**
 * Grant import at scale (issue 3 item 11, set-based): `npm run bench:grant-import` (or, on your own
 * port, `PG_TEST_PORT=<p> npx tsx scripts/with-db.ts npx tsx scripts/bench/grant-import.ts`).
 *
 * Runs on a fresh, migrated scratch database (scripts/with-db.ts) and loads, set-based:
 *   - 10,000 people with master accounts; half of them already hold an account (and one role) in the
 *     system, the other half get one from the import (every other one under a login the file names);
 *   - a connected business system (provisioning outbox rows are written; BENCH_CONNECTED=0: not) with 40 roles and 20 SoD
 *     pairs among them (two of which the file's roles are in, with roles nobody in the file holds).
 * Then imports one file of 20,000 rows (two roles per person) as an account administrator: the preview
 * (everything, rolled back) and the commit through commitGrantImport, each timed, while a probe on
 * another connection polls the audit chain's advisory lock (decision 0003) every 5 ms to measure how
 * long every other audited write in the portal would have waited.
 */
process.env.AUTH_SECRET ??= "bench-auth-secret-bench-auth-secret-0123456789";
process.env.APP_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
process.env.APP_BLIND_INDEX_KEY ??= Buffer.alloc(32, 9).toString("base64");
process.env.LOG_LEVEL ??= "silent";

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 10_000);
// BENCH_CONNECTED=0: a system administered by hand (no provisioning outbox rows).
const CONNECTED = process.env.BENCH_CONNECTED !== "0";

const { getDb, inTransaction } = await import("@/lib/db");
const { systemActor } = await import("@/lib/authz/actor");
const { createOrgUnit } = await import("@/lib/org/create-org-unit");
const { createBusinessSystem } = await import("@/lib/systems/create-business-system");
const { createPermission } = await import("@/lib/systems/permissions");
const { createJobRole } = await import("@/lib/systems/job-roles");
const { changeRoleMatrix } = await import("@/lib/systems/change-role-matrix");
const { createSodRule } = await import("@/lib/policy/sod-rules");
const { commitGrantImport, previewGrantImport } = await import("@/lib/imports/grant-import");
type PersonActor = import("@/lib/authz/actor").PersonActor;
type Table = import("@/lib/imports/read-table").Table;

const db = getDb();
const setupActor = systemActor("bench");
const AUDIT_LOCK = 4040404;

async function setup() {
  const t0 = Date.now();
  const unit = await inTransaction((tx) => createOrgUnit(tx, setupActor, { code: "BENCH", name: "Bench unit" }));
  const system = await inTransaction((tx) =>
    createBusinessSystem(tx, setupActor, {
      code: "BENCH-CRM",
      name: "Bench CRM",
      environment: "PRODUCTION",
      kind: "FRONT_END",
      ownerOrgId: unit.id,
    }),
  );
  if (CONNECTED) await db.businessSystem.update({ where: { id: system.id }, data: { isConnected: true } });
  const roles = await inTransaction(async (tx) => {
    const out: { id: string; code: string }[] = [];
    const add: { roleId: string; permissionId: string }[] = [];
    for (let i = 0; i < 40; i++) {
      const p = await createPermission(tx, setupActor, {
        systemId: system.id,
        code: `P${i}`,
        name: `Permission ${i}`,
        dataKind: i % 2 ? "USER_DATA" : "NONE",
        sensitivity: "LOW",
        operation: "QUERY",
        reason: "bench",
      });
      const r = await createJobRole(tx, setupActor, {
        systemId: system.id,
        code: `R${String(i).padStart(2, "0")}`,
        name: `Role ${i}`,
        reason: "bench",
      });
      add.push({ roleId: r.id, permissionId: p.id });
      out.push({ id: r.id, code: r.code });
    }
    await changeRoleMatrix(tx, setupActor, { systemId: system.id, add, remove: [], reason: "bench" });
    // 20 incompatible pairs: R00/R01 (the file's roles) each paired with a role nobody in the file holds.
    for (let i = 0; i < 20; i++) {
      await createSodRule(tx, setupActor, {
        kind: "ROLE_PAIR",
        leftId: out[i % 2]!.id,
        rightId: out[20 + i]!.id,
        description: `Bench pair ${i}`,
      });
    }
    return out;
  });
  await db.$executeRaw`
    INSERT INTO person (id, employee_no, name, org_unit_id, job_title, updated_at)
    SELECT gen_random_uuid(), 'S' || lpad(g::text, 5, '0'), 'Staff ' || g, ${unit.id}::uuid, 'Staff', now() FROM generate_series(0, ${PEOPLE}) g`;
  await db.$executeRaw`INSERT INTO master_account (id, person_id, updated_at) SELECT gen_random_uuid(), id, now() FROM person WHERE org_unit_id = ${unit.id}::uuid`;
  // Half of the people already have an account here, holding role R02.
  await db.$executeRaw`
    INSERT INTO slave_account (id, system_id, person_id, login_name, updated_at)
    SELECT gen_random_uuid(), ${system.id}::uuid, id, lower(employee_no), now() FROM person
    WHERE org_unit_id = ${unit.id}::uuid AND employee_no <> 'S00000' AND (substr(employee_no, 2))::int % 2 = 0`;
  await db.$executeRaw`
    INSERT INTO access_grant (id, slave_account_id, role_id, reason) SELECT gen_random_uuid(), id, ${roles[2]!.id}::uuid, 'bench' FROM slave_account WHERE system_id = ${system.id}::uuid`;
  // S00000: the account administrator who imports.
  const adminRow = await db.person.findUniqueOrThrow({
    where: { employeeNo: "S00000" },
    select: { id: true, name: true, employeeNo: true, orgUnitId: true, account: { select: { id: true } } },
  });
  await db.$executeRawUnsafe("ANALYZE");
  const admin: PersonActor = {
    kind: "person",
    personId: adminRow.id,
    accountId: adminRow.account!.id,
    name: adminRow.name,
    employeeNo: adminRow.employeeNo,
    orgUnitId: adminRow.orgUnitId,
    sessionId: null,
    roles: [{ role: "ACCOUNT_ADMIN", systemId: system.id, orgUnitId: null, orgUnitPath: null }],
    ctx: { requestId: "bench", ip: null, userAgent: null },
  };
  console.log(
    `setup: ${PEOPLE} people, ${PEOPLE / 2} with an account in the ${CONNECTED ? "connected" : "unconnected"} system, 40 roles, 20 SoD pairs, in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  return { system, roles, admin };
}

function file(roles: { code: string }[]): Table {
  const rows: string[][] = [["工号", "登录名", "角色编码", "截止日期", "原因", "依据"]];
  for (let i = 1; i <= PEOPLE; i++) {
    const no = `S${String(i).padStart(5, "0")}`;
    // People without an account (odd numbers): every other one under a login the file names.
    const login = i % 2 === 1 && i % 4 === 1 ? `bench.${i}` : "";
    rows.push(
      [no, login, roles[0]!.code, "", "Bulk migration", "MIG-2026"],
      [no, "", roles[1]!.code, "2027-06-30", "Bulk migration", "MIG-2026"],
    );
  }
  return { fileName: "grants.csv", format: "csv", rows };
}

/** Polls the audit chain's lock from another connection; returns how long it was seen held. */
function auditLockProbe() {
  let running = true;
  let first: number | null = null;
  let last: number | null = null;
  let blockedPolls = 0;
  const done = (async () => {
    while (running) {
      const [row] = await db.$queryRaw<{ got: boolean }[]>`SELECT pg_try_advisory_xact_lock(${AUDIT_LOCK}::bigint) AS got`;
      if (row && !row.got) {
        const now = performance.now();
        first ??= now;
        last = now;
        blockedPolls++;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return async () => {
    running = false;
    await done;
    return { heldMs: first !== null && last !== null ? last - first : 0, blockedPolls };
  };
}

const { system, roles, admin } = await setup();
const table = file(roles);
const rowsCount = table.rows.length - 1;
const opts = { maxRows: rowsCount };
const timeoutMs = 600_000;

let t = performance.now();
const checked = await inTransaction((tx) => previewGrantImport(tx, admin, { systemId: system.id, table }, opts), { timeoutMs });
const previewMs = performance.now() - t;
if (checked.errorCount > 0)
  throw new Error(`preview found ${checked.errorCount} errors: ${JSON.stringify(checked.rows.find((r) => r.errors.length))}`);

const stopProbe = auditLockProbe();
t = performance.now();
const result = await inTransaction((tx) => commitGrantImport(tx, admin, { systemId: system.id, table }, opts), { timeoutMs });
const commitMs = performance.now() - t;
const lock = await stopProbe();

const [counts] = await db.$queryRaw<{ grants: number; accounts: number; outbox: number; audit: number }[]>`
  SELECT (SELECT count(*)::int FROM access_grant g JOIN slave_account sa ON sa.id = g.slave_account_id WHERE sa.system_id = ${system.id}::uuid AND g.revoked_at IS NULL) AS grants,
         (SELECT count(*)::int FROM slave_account WHERE system_id = ${system.id}::uuid) AS accounts,
         (SELECT count(*)::int FROM provisioning_outbox WHERE system_id = ${system.id}::uuid) AS outbox,
         (SELECT count(*)::int FROM audit_event WHERE actor_id = ${admin.personId}::uuid) AS audit`;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
console.log(`file: ${rowsCount} rows (${PEOPLE} people × 2 roles)`);
console.log(`preview: ${s(previewMs)} (${Math.round(rowsCount / (previewMs / 1000))} rows/s), ${checked.validCount} valid`);
console.log(
  `commit:  ${s(commitMs)} (${Math.round(rowsCount / (commitMs / 1000))} rows/s), granted ${result.granted}, unchanged ${result.unchanged}`,
);
console.log(`audit chain lock held during the commit: ~${Math.round(lock.heldMs)} ms (seen held by ${lock.blockedPolls} polls at 5 ms)`);
console.log(
  `after: ${counts!.grants} live grants, ${counts!.accounts} accounts in the system, ${counts!.outbox} outbox rows, ${counts!.audit} audit rows by the administrator`,
);
await db.$disconnect();

export {};
