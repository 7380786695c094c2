/**
 * `npm run bench:pages`: server-side latency of the exact functions the staff list, person detail,
 * roster, audit and policy-violations pages call, against the scale database (`npm run seed:scale` first).
 *
 *   npx tsx scripts/bench/pages.ts [--runs 30] [--only <substring>] [--json <file>] [--no-parallel]
 *
 *   --no-parallel  connect with max_parallel_workers_per_gather = 0 (the proposed server setting)
 *
 * Each case: 3 untimed warm-up calls, then `runs` sequential timed calls (wall time around the call,
 * in this process: SQL + Prisma + the function's own work, no rendering). p50/p95 by nearest rank.
 * "deep" pages start from a keyset cursor at the median of the whole sort order.
 */
import { addDays, dayIn } from "../../lib/time/calendar";
import fs from "node:fs";
import { closeScaleBench, loadActors, machineLine, measure, ms, openScaleBench, type Stats } from "./harness";

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const RUNS = Number(arg("--runs") ?? 30);
const ONLY = arg("--only");
const JSON_OUT = arg("--json");
const NO_PARALLEL = args.includes("--no-parallel");
const TARGET_MS = 150;

const db = await openScaleBench({ noParallel: NO_PARALLEL });
try {
  await run();
} finally {
  await closeScaleBench(db);
}

async function run(): Promise<void> {
  const { getDb } = await import("@/lib/db");
  const people_ = await import("@/lib/people/queries");
  const roster_ = await import("@/lib/roster/queries");
  const { getPersonDetail, PeopleFilter } = people_;
  const { RosterFilter } = roster_;
  const listPeople = people_.listPeople;
  const listRoster = roster_.listRoster;
  const { listPersonAccess } = await import("@/lib/grants/queries");
  const { listAuditEvents, AuditFilter } = await import("@/lib/audit/queries");
  const { listOrgUnitsFlat } = await import("@/lib/org/queries");
  const { listSystems } = await import("@/lib/systems/queries");
  const { encodeCursor } = await import("@/lib/http/cursor");
  const prisma = getDb();
  const actors = await loadActors();
  const { officer, adminLarge, adminSmall, approverDivision, approverDepartment } = actors;

  // Fixtures from the data.
  const org = async (code: string) => (await prisma.orgUnit.findUniqueOrThrow({ where: { code }, select: { id: true } })).id;
  const system = async (code: string) => (await prisma.businessSystem.findUniqueOrThrow({ where: { code }, select: { id: true } })).id;
  const [division, department, team, sysLarge, sysSmall] = await Promise.all([
    org("U0002"),
    org("U0014"),
    org("U0134"),
    system("SYS001"),
    system("SYS150"),
  ]);
  const at = async (column: "name" | "employee_no", fraction: number) => {
    const [row] = await prisma.$queryRawUnsafe<{ v: string; id: string }[]>(
      `SELECT ${column} AS v, id::text AS id FROM person ORDER BY ${column}, id OFFSET (SELECT (count(*) * ${fraction})::int FROM person) LIMIT 1`,
    );
    if (!row) throw new Error("no people");
    return row;
  };
  const [midName, midEmpNo, lastName, lastEmpNo] = [
    await at("name", 0.5),
    await at("employee_no", 0.5),
    await at("name", 0.99),
    await at("employee_no", 0.99),
  ];
  const deepPeople = { name: encodeCursor({ v: midName.v, id: midName.id }), employeeNo: encodeCursor({ v: midEmpNo.v, id: midEmpNo.id }) };
  const endPeople = {
    name: encodeCursor({ v: lastName.v, id: lastName.id }),
    employeeNo: encodeCursor({ v: lastEmpNo.v, id: lastEmpNo.id }),
  };
  const deepRoster = encodeCursor({ n: midName.v, id: midName.id });
  // 30 active people, spread over the table, for the detail page.
  const samplePeople = (
    await prisma.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM person WHERE status = 'ACTIVE' ORDER BY hashtext(id::text) LIMIT 30`
  ).map((r) => r.id);
  const divisionPeople = (
    await prisma.$queryRaw<{ id: string }[]>`
      SELECT pe.id::text AS id FROM person pe JOIN org_unit o ON o.id = pe.org_unit_id
      WHERE o.path LIKE ${`${approverDivision.roles[0]!.orgUnitPath}%`} ORDER BY hashtext(pe.id::text) LIMIT 30`
  ).map((r) => r.id);
  const maxAuditId = (await prisma.auditEvent.aggregate({ _max: { id: true } }))._max.id ?? 0n;
  const auditActor = (
    await prisma.auditEvent.findFirst({ where: { actorId: { not: null } }, orderBy: { id: "desc" }, select: { actorId: true } })
  )?.actorId;
  const auditActorNo = auditActor
    ? (await prisma.person.findUnique({ where: { id: auditActor }, select: { employeeNo: true } }))?.employeeNo
    : undefined;
  const auditTarget = await prisma.auditEvent.findFirst({
    where: { targetType: "person", targetId: { not: null } },
    orderBy: { id: "asc" },
    select: { targetId: true },
  });
  const vendor = await prisma.vendor.findFirstOrThrow({ orderBy: { name: "asc" }, select: { id: true } });
  const today = dayIn(new Date());
  const yearAgo = addDays(today, -365);

  const results: (Stats & { group: string })[] = [];
  const selected = (group: string, name: string) => !ONLY || `${group}: ${name}`.toLowerCase().includes(ONLY.toLowerCase());
  const bench = async (group: string, name: string, fn: (i: number) => Promise<unknown>) => {
    const full = `${group}: ${name}`;
    if (!selected(group, name)) return;
    const s = await measure(name, fn, { runs: RUNS });
    results.push({ ...s, group });
    const flag = s.p95 > TARGET_MS ? "  ✗ over target" : "";
    console.log(
      `${full.padEnd(70)} p50 ${ms(s.p50).padStart(6)} ms  p95 ${ms(s.p95).padStart(6)} ms  rows ${String(s.rows ?? "-").padStart(3)}${flag}`,
    );
  };
  /** First page, and the page after it (the cursor the first page returned). */
  const people = async (
    label: string,
    actor: typeof officer,
    raw: Record<string, string>,
    opts: { next?: boolean; deep?: boolean; end?: boolean } = {},
  ) => {
    for (const sort of ["name", "employeeNo"] as const) {
      const filter = PeopleFilter.parse({ ...raw, sort });
      await bench("staff list", `${label}, sort ${sort}, first page`, () => listPeople(actor, filter));
      if ((opts.next ?? true) && selected("staff list", `${label}, sort ${sort}, next page`)) {
        const first = await listPeople(actor, filter);
        if (first.nextCursor)
          await bench("staff list", `${label}, sort ${sort}, next page`, () => listPeople(actor, { ...filter, cursor: first.nextCursor! }));
      }
      if (opts.deep ?? true)
        await bench("staff list", `${label}, sort ${sort}, deep page (median)`, () =>
          listPeople(actor, { ...filter, cursor: deepPeople[sort] }),
        );
      if (opts.end)
        await bench("staff list", `${label}, sort ${sort}, last pages (99th percentile)`, () =>
          listPeople(actor, { ...filter, cursor: endPeople[sort] }),
        );
    }
  };

  console.log(`machine: ${machineLine()}`);
  console.log(`variant: lib/${NO_PARALLEL ? ", max_parallel_workers_per_gather = 0" : ""}`);
  console.log(`runs per case: ${RUNS} (after 3 warm-up calls); target p95 < ${TARGET_MS} ms\n`);

  // ---- staff list (/people) --------------------------------------------------------------------------
  await people("officer, no filter", officer, {}, { end: true });
  await people("officer, q=王 (name prefix, ~6% of staff)", officer, { q: "王" });
  await people("officer, q=张伟 (name prefix, rare)", officer, { q: "张伟" }, { deep: false });
  await people("officer, q=E0123 (employee no prefix)", officer, { q: "E0123" }, { deep: false });
  await people("officer, status=SUSPENDED (3%)", officer, { status: "SUSPENDED" });
  await people("officer, status=LEFT (5%)", officer, { status: "LEFT" });
  await people("officer, status=ACTIVE (92%)", officer, { status: "ACTIVE" });
  await people("officer, type=THIRD_PARTY (5%)", officer, { type: "THIRD_PARTY" });
  await people("officer, vendor=one of 20 vendors (~0.25%)", officer, { vendor: vendor.id }, { deep: false });
  await people("officer, org=division subtree (~8%)", officer, { org: division });
  await people("officer, org=department subtree (~0.7%)", officer, { org: department });
  await people("officer, org=team (leaf, ~0.05%)", officer, { org: team }, { deep: false });
  await people("officer, status=ACTIVE + type=THIRD_PARTY + org=division", officer, {
    status: "ACTIVE",
    type: "THIRD_PARTY",
    org: division,
  });
  await people("approver (division scope), no filter", approverDivision, {});
  await people("approver (department scope), no filter", approverDepartment, {});
  await people("approver (division scope), q=王", approverDivision, { q: "王" }, { deep: false });
  await people("account admin (global people view), type=THIRD_PARTY", adminLarge, { type: "THIRD_PARTY" }, { deep: false });

  // ---- person detail (/people/[id]) ------------------------------------------------------------------
  await bench("person detail", "getPersonDetail, officer (30 different people)", (i) =>
    getPersonDetail(officer, samplePeople[i % samplePeople.length]!),
  );
  await bench("person detail", "getPersonDetail, approver in scope", (i) =>
    getPersonDetail(approverDivision, divisionPeople[i % divisionPeople.length]!),
  );
  await bench("person detail", "listPersonAccess (4 accounts, ~10 grants)", (i) =>
    listPersonAccess(samplePeople[i % samplePeople.length]!),
  );

  // The HR edit form's warning: how many sensitive grants a job change would revoke (R5 movers).
  const { previewMoverRevocations } = await import("@/lib/people/mover");
  await bench("person detail", "previewMoverRevocations (HR edit form)", (i) =>
    previewMoverRevocations(samplePeople[i % samplePeople.length]!),
  );

  // ---- a system's accounts (/systems/[id]), with the lifecycle actions and the orphans filter ---------
  const { listSystemAccounts } = await import("@/lib/grants/queries");
  await bench("system accounts", "listSystemAccounts SYS001 (large), first page", () => listSystemAccounts(sysLarge));
  await bench("system accounts", "listSystemAccounts SYS001, orphans only", () => listSystemAccounts(sysLarge, { orphans: true }));
  await bench("system accounts", "listSystemAccounts SYS150 (typical), orphans only", () =>
    listSystemAccounts(sysSmall, { orphans: true }),
  );

  // ---- roster (/roster) --------------------------------------------------------------------------------
  const roster = async (
    label: string,
    actor: typeof officer,
    raw: Record<string, string>,
    opts: { next?: boolean; deep?: boolean } = {},
  ) => {
    const filter = RosterFilter.parse(raw);
    await bench("roster", `${label}, first page`, () => listRoster(actor, filter));
    if ((opts.next ?? true) && selected("roster", `${label}, next page`)) {
      const first = await listRoster(actor, filter);
      if (first.nextCursor) await bench("roster", `${label}, next page`, () => listRoster(actor, { ...filter, cursor: first.nextCursor! }));
    }
    if (opts.deep ?? false)
      await bench("roster", `${label}, deep page (median name)`, () => listRoster(actor, { ...filter, cursor: deepRoster }));
  };
  await roster("officer, no filter", officer, {}, { deep: true });
  await roster("officer, system=SYS001 (large)", officer, { system: sysLarge }, { deep: true });
  await roster("officer, system=SYS150 (typical)", officer, { system: sysSmall });
  await roster("officer, org=division subtree", officer, { org: division }, { deep: true });
  await roster("officer, org=department subtree", officer, { org: department });
  await roster("officer, level=EXTREME", officer, { level: "EXTREME" }, { deep: true });
  await roster("officer, level=RELATIVE (not sensitive by default)", officer, { level: "RELATIVE" });
  await roster("officer, type=THIRD_PARTY", officer, { type: "THIRD_PARTY" }, { deep: true });
  await roster(`officer, as of ${yearAgo}`, officer, { asOf: yearAgo }, { deep: true });
  await roster("account admin SYS001 (scoped), no filter", adminLarge, {}, { deep: true });
  await roster("account admin SYS150 (scoped), no filter", adminSmall, {}, { deep: true });

  // ---- what the staff list and roster pages load alongside -------------------------------------------
  await bench("page extras", "listOrgUnitsFlat (2,053 units, filter dropdown)", () => listOrgUnitsFlat());
  await bench("page extras", "listSystems, officer (300 systems, roster dropdown)", () => listSystems(officer));
  await bench("page extras", "listSystems, account admin (1 system)", () => listSystems(adminLarge));

  // ---- audit (/audit) ----------------------------------------------------------------------------------
  const tz = "Asia/Shanghai";
  const audit = (label: string, raw: Record<string, string>) => bench("audit", label, () => listAuditEvents(AuditFilter.parse(raw), tz));
  await audit("no filter, first page", {});
  await audit("no filter, deep page (median id)", { cursor: String(maxAuditId / 2n) });
  await audit("action=grant.revoked", { action: "grant.revoked" });
  await audit("action=auth.sign-in.failed, deep page", { action: "auth.sign-in.failed", cursor: String(maxAuditId / 2n) });
  if (auditActorNo) await audit("actor=<employee no>", { actor: auditActorNo });
  if (auditTarget?.targetId) await audit("target=person <id>", { targetType: "person", targetId: auditTarget.targetId });
  await audit(`from=to=${today}`, { from: today, to: today });
  await audit(`from=to=${yearAgo} (no rows that day)`, { from: yearAgo, to: yearAgo });

  // ---- policy violations (/policy) --------------------------------------------------------------------
  // What the page loads: the findings (officers: all; account administrators: their systems'), the
  // configured incompatible pairs and, for officers, the role/permission pickers of the pair form.
  // Findings exist once the check has run (scripts/bench/policy-recheck.ts).
  const policy_ = await import("@/lib/policy/queries");
  await bench("policy violations", "listFindings, officer (all systems)", () => policy_.listFindings(officer));
  await bench("policy violations", "listFindings, account admin SYS001 (scoped)", () => policy_.listFindings(adminLarge));
  await bench("policy violations", "listFindings, account admin SYS150 (scoped)", () => policy_.listFindings(adminSmall));
  await bench("policy violations", "listSodRules", () => policy_.listSodRules());
  const firstPage = await policy_.listFindings(officer);
  if (firstPage.nextCursor) {
    const cursor = firstPage.nextCursor;
    await bench("policy violations", "listFindings, officer, second page (keyset)", () => policy_.listFindings(officer, { cursor }));
  }
  for (const rule of policy_.POLICY_RULES) {
    await bench("policy violations", `listFindings, officer, rule ${rule}`, () => policy_.listFindings(officer, { rule }));
  }
  const someone = firstPage.rows[0]?.person;
  if (someone) {
    await bench("policy violations", "listFindings, officer, person by employee no.", () =>
      policy_.listFindings(officer, { person: someone.employeeNo }),
    );
    await bench("policy violations", "listFindings, officer, person by name prefix", () =>
      policy_.listFindings(officer, { person: someone.name.slice(0, 1) }),
    );
  }
  await bench("policy violations", "listFindingSystems, officer (filter)", () => policy_.listFindingSystems(officer));
  await bench("policy violations", "listPairSystems (pair form)", () => policy_.listPairSystems());
  const sys001 = await getDb().businessSystem.findFirst({ where: { code: "SYS001" }, select: { id: true } });
  if (sys001) {
    await bench("policy violations", "listPairOptions, SYS001 roles", () =>
      policy_.listPairOptions({ kind: "ROLE_PAIR", systemId: sys001.id }),
    );
    await bench("policy violations", "listPairOptions, SYS001 permissions", () =>
      policy_.listPairOptions({ kind: "PERMISSION_PAIR", systemId: sys001.id }),
    );
  }

  const over = results.filter((r) => r.p95 > TARGET_MS);
  console.log(`\n${results.length} cases, ${over.length} over ${TARGET_MS} ms p95${over.length ? ":" : ""}`);
  for (const r of over) console.log(`  ${r.group}: ${r.name} (p95 ${ms(r.p95)} ms)`);
  console.log("\n| Page | Case | p50 ms | p95 ms | rows |\n|---|---|--:|--:|--:|");
  for (const r of results)
    console.log(`| ${r.group} | ${r.name} | ${ms(r.p50)} | ${ms(r.p95)}${r.p95 > TARGET_MS ? " ✗" : ""} | ${r.rows ?? "-"} |`);
  if (JSON_OUT)
    fs.writeFileSync(
      JSON_OUT,
      `${JSON.stringify({ machine: machineLine(), noParallel: NO_PARALLEL, runs: RUNS, at: new Date().toISOString(), results }, null, 2)}\n`,
    );
}
