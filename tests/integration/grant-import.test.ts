// Grant import, per business system (issue 3 item 11): every row gets grantRole's verdict (the policy
// engine, the duration rules, R14), in file order inside one transaction (rows that conflict with each
// other are caught), written set-based; the preview rolls it back; nothing is kept unless every row is valid.
import { describe, expect, it } from "vitest";
import { endOfDay } from "@/lib/time/calendar";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { getDb, inTransaction, type Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { MAX_DATA_ROWS, readTable, type Table } from "@/lib/imports/read-table";
import { commitGrantImport, GRANT_IMPORT_MAX_ROWS, previewGrantImport } from "@/lib/imports/grant-import";
import { commitAccountImport } from "@/lib/imports/account-import";
import { templateCsv } from "@/lib/imports/system-export";
import { createPermission } from "@/lib/systems/permissions";
import { createJobRole } from "@/lib/systems/job-roles";
import { changeRoleMatrix } from "@/lib/systems/change-role-matrix";
import { createSodRule } from "@/lib/policy/sod-rules";
import { grantRole } from "@/lib/grants/grant-role";
import { changeSlaveAccountStatus } from "@/lib/slave-accounts/change-slave-account-status";
import { SystemImportInvalidError } from "@/lib/imports/system-import";
import { staggered } from "../race";
import { auditMark, auditSince, itemIds, dayFromToday, FACTORY, makeActor, makePerson, makeSystem, uniq } from "../factories";
import { errorsOf, expectCommitRefused, expectOutsidersRefused, exportFile } from "../import-fixtures";

const HEADER = "工号,姓名,登录名,角色编码,角色名称,截止日期,原因,依据";

async function setup() {
  const system = await makeSystem({ kind: "FRONT_END" });
  const { actor: admin } = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: system.id }]);
  const p = uniq(3).toUpperCase();
  const roles = await inTransaction(async (tx) => {
    const perm = (code: string, sensitivity: "LOW" | "SENSITIVE") =>
      createPermission(tx, admin, {
        systemId: system.id,
        code: `${code}.${p}`,
        name: `权限 ${code}`,
        dataKind: "USER_DATA",
        sensitivity,
        operation: "QUERY",
        reason: "setup",
      });
    const low = await perm("LOW", "LOW");
    const sens = await perm("SENS", "SENSITIVE");
    const role = (code: string, name: string) =>
      createJobRole(tx, admin, { systemId: system.id, code: `${code}_${p}`, name, reason: "setup" });
    const query = await role("QUERY", "客户信息查询");
    const sensitive = await role("SENS", "敏感查询");
    const cashier = await role("CASHIER", "收款");
    const auditor = await role("AUDITOR", "稽核");
    await changeRoleMatrix(tx, admin, {
      systemId: system.id,
      add: [
        { roleId: query.id, permissionId: low.id },
        { roleId: sensitive.id, permissionId: sens.id },
        { roleId: cashier.id, permissionId: low.id },
        { roleId: auditor.id, permissionId: low.id },
      ],
      remove: [],
      reason: "setup",
    });
    // Cashier and auditor: an incompatible pair (R6, configurable).
    await createSodRule(tx, FACTORY, { kind: "ROLE_PAIR", leftId: cashier.id, rightId: auditor.id, description: "收款与稽核不相容" });
    return { query, sensitive, cashier, auditor };
  });
  const [a, b] = [await makePerson({ name: "王建国" }), await makePerson({ name: "欧阳娜娜" })];
  return { system, admin, roles, a, b, p };
}
type Setup = Awaited<ReturnType<typeof setup>>;

const csv = (lines: string[], fileName = "授权.csv", encoding = "gb18030") =>
  readTable(iconv.encode(`${lines.join("\r\n")}\r\n`, encoding), fileName);
const preview = (actor: Actor, systemId: string, table: Table) =>
  inTransaction((tx) => previewGrantImport(tx, actor, { systemId, table }), { timeoutMs: 300_000 });
const commit = (actor: Actor, systemId: string, table: Table) =>
  inTransaction((tx) => commitGrantImport(tx, actor, { systemId, table }), { timeoutMs: 300_000 });
const liveGrants = (systemId: string) =>
  getDb().accessGrant.findMany({
    where: { slaveAccount: { systemId }, revokedAt: null },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      endsAt: true,
      reason: true,
      basis: true,
      role: { select: { code: true } },
      slaveAccount: { select: { loginName: true, personId: true } },
    },
  });

function validLines(s: Setup) {
  return [
    HEADER,
    `${s.a.employeeNo},王建国,wang.${s.p},QUERY_${s.p},客户信息查询,2027/6/30,岗位需要：客户服务,工单 ITSM-0042`,
    `${s.a.employeeNo},王建国,,cashier_${s.p},收款,,营业厅收款,工单 ITSM-0042`,
    `${s.b.employeeNo},欧阳娜娜,,SENS_${s.p},,${dayFromToday(90)},"核查, 投诉处理",`,
  ];
}

describe("grant import", () => {
  it("grants every row of a GB18030 CSV through the policy engine; the preview keeps nothing", async () => {
    const s = await setup();
    const table = await csv(validLines(s));
    const mark = await auditMark();
    const checked = await preview(s.admin, s.system.id, table);
    expect(errorsOf(checked)).toEqual([]);
    expect(checked).toMatchObject({ kind: "grants", validCount: 3, errorCount: 0, counts: { grant: 3 } });
    // The preview made the grants under a savepoint and rolled them back: no grant, account or audit row.
    expect(await liveGrants(s.system.id)).toEqual([]);
    expect(await getDb().slaveAccount.count({ where: { systemId: s.system.id } })).toBe(0);
    expect(await auditSince(mark)).toEqual([]);

    const result = await commit(s.admin, s.system.id, table);
    expect(result).toMatchObject({ granted: 3, unchanged: 0 });
    const grants = await liveGrants(s.system.id);
    expect(
      grants.map((g) => [
        g.slaveAccount.loginName,
        g.slaveAccount.personId,
        g.role.code,
        g.endsAt?.toISOString() ?? null,
        g.reason,
        g.basis,
      ]),
    ).toEqual([
      [`wang.${s.p}`, s.a.person.id, `QUERY_${s.p}`, endOfDay("2027-06-30").toISOString(), "岗位需要：客户服务", "工单 ITSM-0042"],
      [`wang.${s.p}`, s.a.person.id, `CASHIER_${s.p}`, null, "营业厅收款", "工单 ITSM-0042"],
      [s.b.employeeNo.toLowerCase(), s.b.person.id, `SENS_${s.p}`, endOfDay(dayFromToday(90)).toISOString(), "核查, 投诉处理", null],
    ]);
    const audit = await auditSince(mark);
    // One bulk event for the accounts created, one for the grants (issue 14 §3: an item each), then the file's summary.
    expect(audit.map((r) => r.action)).toEqual(["slave-account.created", "grant.created", "grant.imported"]);
    const byLogin = new Map(grants.map((g) => [g.role.code, g]));
    expect(audit[0]).toMatchObject({ targetType: "system", targetId: s.system.id, summary: { count: 2 } });
    expect(audit[0]!.items).toEqual([
      expect.objectContaining({ kind: "slave-account", personId: s.a.person.id, detail: { loginName: `wang.${s.p}` } }),
      expect.objectContaining({ kind: "slave-account", personId: s.b.person.id, detail: { loginName: s.b.employeeNo.toLowerCase() } }),
    ]);
    expect(audit[1]).toMatchObject({ targetType: "system", targetId: s.system.id, summary: { count: 3 } });
    expect(audit[1]!.items).toEqual([
      {
        kind: "grant",
        subjectId: byLogin.get(`QUERY_${s.p}`)!.id,
        personId: s.a.person.id,
        detail: expect.objectContaining({
          roleId: s.roles.query.id,
          endsAt: endOfDay("2027-06-30").toISOString(),
          reason: "岗位需要：客户服务",
          basis: "工单 ITSM-0042",
          accountCreated: true,
        }),
      },
      {
        kind: "grant",
        subjectId: byLogin.get(`CASHIER_${s.p}`)!.id,
        personId: s.a.person.id,
        detail: expect.objectContaining({ roleId: s.roles.cashier.id, endsAt: null, reason: "营业厅收款" }),
      },
      {
        kind: "grant",
        subjectId: byLogin.get(`SENS_${s.p}`)!.id,
        personId: s.b.person.id,
        detail: expect.objectContaining({ roleId: s.roles.sensitive.id, basis: null, accountCreated: true }),
      },
    ]);
    expect(audit.at(-1)).toMatchObject({
      targetType: "system",
      targetId: s.system.id,
      summary: { fileName: "授权.csv", format: "csv", rows: 3, granted: 3, unchanged: 0 },
    });
  });

  it("reads an XLSX with an end-date cell; a login name alone finds the person", async () => {
    const s = await setup();
    await inTransaction((tx) =>
      commitAccountImport(tx, s.admin, {
        systemId: s.system.id,
        table: {
          fileName: "a.csv",
          format: "csv",
          rows: [
            ["登录名", "属主工号"],
            [`bee.${s.p}`, s.b.employeeNo],
          ],
        },
      }),
    );
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("授权");
    ws.addRow(["登录名", "角色编码", "截止日期", "原因"]);
    ws.addRow([`bee.${s.p}`, `QUERY_${s.p}`, new Date(Date.UTC(2027, 5, 30)), "岗位需要"]);
    ws.addRow([`bee.${s.p}`, `AUDITOR_${s.p}`, 46568, "岗位需要"]); // an Excel serial: 2027-06-30
    const table = await readTable(Buffer.from(await wb.xlsx.writeBuffer()), "grants.xlsx");
    expect((await commit(s.admin, s.system.id, table)).granted).toBe(2);
    const grants = await liveGrants(s.system.id);
    expect(grants.map((g) => [g.slaveAccount.personId, g.role.code, g.endsAt?.toISOString()])).toEqual([
      [s.b.person.id, `QUERY_${s.p}`, endOfDay("2027-06-30").toISOString()],
      [s.b.person.id, `AUDITOR_${s.p}`, endOfDay("2027-06-30").toISOString()],
    ]);
  });

  it("bad rows and policy violations (R4, an SoD pair within the file): every error per row, nothing written", async () => {
    const s = await setup();
    const contractor = await makePerson({ employmentType: "THIRD_PARTY", name: "外包张三" });
    const orphan = `orphan.${s.p}`;
    await inTransaction((tx) =>
      commitAccountImport(tx, s.admin, {
        systemId: s.system.id,
        table: {
          fileName: "a.csv",
          format: "csv",
          rows: [
            ["登录名", "属主工号"],
            [orphan, ""],
          ],
        },
      }),
    );
    const before = await getDb().slaveAccount.count({ where: { systemId: s.system.id } });
    const table = await csv([
      HEADER,
      `${s.a.employeeNo},,,CASHIER_${s.p},,,营业厅收款,`,
      `${s.a.employeeNo},,,AUDITOR_${s.p},,,兼任稽核,`, // the SoD pair with the row above
      `${contractor.employeeNo},,,SENS_${s.p},,,外包核查,`, // R4: third party + sensitive permission
      `NOBODY${s.p},,,QUERY_${s.p},,,原因,`,
      `${s.b.employeeNo},,,NO_SUCH_ROLE,,,原因,`,
      `${s.b.employeeNo},,,QUERY_${s.p},,2020-01-01,原因,`,
      `${s.b.employeeNo},,,QUERY_${s.p},,下个月,原因,`,
      `${s.b.employeeNo},,,QUERY_${s.p},,,,`,
      `,,${orphan},QUERY_${s.p},,,原因,`,
      `,,,QUERY_${s.p},,,原因,`,
      `${s.a.employeeNo},,,cashier_${s.p},,,again,`,
    ]);
    const checked = await preview(s.admin, s.system.id, table);
    expect(errorsOf(checked)).toEqual([
      { line: 3, field: "roleCode", code: "SOD_ROLE_PAIR" },
      { line: 4, field: "roleCode", code: "THIRD_PARTY_SENSITIVE_PERMISSION" },
      { line: 5, field: "employeeNo", code: "unknown-person" },
      { line: 6, field: "roleCode", code: "unknown-role" },
      { line: 7, field: "endsOn", code: "date-in-past" },
      { line: 8, field: "endsOn", code: "invalid-date" },
      { line: 9, field: "reason", code: "required" },
      { line: 10, field: "loginName", code: "orphan-account" },
      { line: 11, field: "employeeNo", code: "person-required" },
      { line: 12, field: "roleCode", code: "duplicate-in-file" },
    ]);
    // The explanation's parameters travel with the code (the page translates them).
    expect(checked.rows[1]!.errors[0]!.params).toMatchObject({ role: "稽核", otherRole: "收款" });
    expect(checked.rows[2]!.errors[0]!.params).toMatchObject({ role: "敏感查询", permission: "权限 SENS", sensitivity: "SENSITIVE" });
    expect(checked).toMatchObject({ validCount: 1, errorCount: 10 });

    await expectCommitRefused(() => commit(s.admin, s.system.id, table), checked);
    expect(await liveGrants(s.system.id)).toEqual([]);
    expect(await getDb().slaveAccount.count({ where: { systemId: s.system.id } })).toBe(before);
  });

  it("checks the person's login name against their account, and the header", async () => {
    const s = await setup();
    await inTransaction((tx) =>
      grantRole(tx, s.admin, { personId: s.a.person.id, roleId: s.roles.query.id, loginName: `wang.${s.p}`, reason: "setup" }),
    );
    const table = await csv([
      HEADER,
      `${s.a.employeeNo},,other.${s.p},CASHIER_${s.p},,,原因,`,
      `${s.b.employeeNo},,wang.${s.p},CASHIER_${s.p},,,原因,`,
      `${s.b.employeeNo},,b1.${s.p},QUERY_${s.p},,,原因,`,
      `${s.b.employeeNo},,b2.${s.p},AUDITOR_${s.p},,,原因,`,
    ]);
    expect(errorsOf(await preview(s.admin, s.system.id, table))).toEqual([
      { line: 2, field: "loginName", code: "login-mismatch" },
      { line: 3, field: "loginName", code: "login-taken" },
      { line: 5, field: "loginName", code: "login-mismatch" },
    ]);
    expect(errorsOf(await preview(s.admin, s.system.id, await csv(["姓名,角色编码,原因", "x,Y,z"])))).toEqual([
      { line: 1, field: "employeeNo", code: "missing-one-of" },
    ]);
    expect(errorsOf(await preview(s.admin, s.system.id, await csv(["工号,原因", "x,z"])))).toEqual([
      { line: 1, field: "roleCode", code: "missing-column" },
    ]);
  });

  it("is for this system's account administrators only", async () => {
    const s = await setup();
    await expectOutsidersRefused(s.system.id, await csv(validLines(s)), preview, commit);
    expect(await liveGrants(s.system.id)).toEqual([]);
  });

  it("exports CSV and XLSX in the import's columns; re-importing either changes nothing; the template reads", async () => {
    const s = await setup();
    await commit(s.admin, s.system.id, await csv(validLines(s)));
    for (const format of ["csv", "xlsx"] as const) {
      const { audit, bytes } = await exportFile(s.admin, s.system.id, "grants", format);
      expect(audit.map((r) => [r.action, r.targetId])).toEqual([["grant.exported", s.system.id]]);
      const table = await readTable(bytes, `export.${format}`);
      expect(table.rows[0]).toEqual(HEADER.split(","));
      expect(table.rows.slice(1).map((r) => r.slice(0, 6))).toEqual([
        [s.a.employeeNo, "王建国", `wang.${s.p}`, `QUERY_${s.p}`, "客户信息查询", "2027-06-30"],
        [s.a.employeeNo, "王建国", `wang.${s.p}`, `CASHIER_${s.p}`, "收款", ""],
        [s.b.employeeNo, "欧阳娜娜", s.b.employeeNo.toLowerCase(), `SENS_${s.p}`, "敏感查询", dayFromToday(90)],
      ]);
      const again = await preview(s.admin, s.system.id, table);
      expect(errorsOf(again)).toEqual([]);
      expect(again.counts).toEqual({ unchanged: 3 });
      expect(again.rows.every((r) => r.notes.some((n) => n.code === "already-held"))).toBe(true);
    }
    // The template reads: its example person and role are not in this portal.
    const template = await readTable(Buffer.from(templateCsv("grants")), "template.csv");
    expect(errorsOf(await preview(s.admin, s.system.id, template)).map((e) => e.code)).toEqual(["unknown-person", "unknown-role"]);
  });

  it("refuses a file of more than GRANT_IMPORT_MAX_ROWS rows before looking anything up", async () => {
    const s = await setup();
    // The file reader stops at MAX_DATA_ROWS (the same 20,000 today); a table handed over another way is capped here.
    expect(GRANT_IMPORT_MAX_ROWS).toBeLessThanOrEqual(MAX_DATA_ROWS);
    const rows = [
      HEADER.split(","),
      ...Array.from({ length: GRANT_IMPORT_MAX_ROWS + 1 }, (_, i) => [`E${i}`, "", "", `QUERY_${s.p}`, "", "", "原因", ""]),
    ];
    const checked = await preview(s.admin, s.system.id, { fileName: "big.csv", format: "csv", rows });
    expect(errorsOf(checked)).toEqual([{ line: 1, field: "file", code: "too-many-grant-rows" }]);
    expect(checked.rows[0]!.errors[0]!.params).toEqual({ max: GRANT_IMPORT_MAX_ROWS, count: GRANT_IMPORT_MAX_ROWS + 1 });
  });

  it("keeps grantRole's duration rules and R14: a sensitive role needs an end date, a third party's ends with the contract, an administrator role needs a vault approval [calendar]", async () => {
    const s = await setup();
    const contractor = await makePerson({ employmentType: "THIRD_PARTY", contractEndsOn: dayFromToday(30), name: "外包李四" });
    const admin = await inTransaction((tx) =>
      createJobRole(tx, s.admin, {
        systemId: s.system.id,
        code: `ADMIN_${s.p}`,
        name: "系统管理员",
        isAdministrative: true,
        reason: "setup",
      }),
    );
    const table = await csv([
      HEADER,
      `${s.a.employeeNo},,,SENS_${s.p},,,没有截止日期,`,
      `${s.b.employeeNo},,,SENS_${s.p},,${dayFromToday(200)},超过敏感上限,`,
      `${contractor.employeeNo},,,QUERY_${s.p},,${dayFromToday(60)},超过合同期,`,
      `${contractor.employeeNo},,,CASHIER_${s.p},,,外包无截止日期,`,
      `${s.b.employeeNo},,,ADMIN_${s.p},,${dayFromToday(30)},管理员,`,
      `${s.b.employeeNo},,,QUERY_${s.p},,,正常,`,
    ]);
    const checked = await preview(s.admin, s.system.id, table);
    expect(checked.rows.map((r) => [r.line, r.errors.map((e) => [e.field, e.code, e.params])])).toEqual([
      [2, [["endsOn", "REQUEST_PERMANENT_NOT_ALLOWED", { reason: "sensitive" }]]],
      [3, [["endsOn", "REQUEST_TOO_LONG", { days: 90 }]]],
      [4, [["endsOn", "REQUEST_PAST_CONTRACT_END", { date: dayFromToday(30) }]]],
      [5, [["endsOn", "REQUEST_PERMANENT_NOT_ALLOWED", { reason: "thirdParty" }]]],
      [6, [["roleCode", "VAULT_APPROVAL_REQUIRED", { scenario: "grant.administrative-role" }]]],
      [7, []],
    ]);
    // The same verdicts as granting each row on the person page.
    for (const [personId, roleId, endsAt, code] of [
      [s.a.person.id, s.roles.sensitive.id, undefined, "REQUEST_PERMANENT_NOT_ALLOWED"],
      [contractor.person.id, s.roles.query.id, endOfDay(dayFromToday(60)), "REQUEST_PAST_CONTRACT_END"],
      [s.b.person.id, admin.id, endOfDay(dayFromToday(30)), "VAULT_APPROVAL_REQUIRED"],
    ] as const) {
      await expect(inTransaction((tx) => grantRole(tx, s.admin, { personId, roleId, endsAt, reason: "one by one" }))).rejects.toMatchObject(
        { code },
      );
    }
    await expectCommitRefused(() => commit(s.admin, s.system.id, table), checked);
    expect(await liveGrants(s.system.id)).toEqual([]);
  });

  it("imports 2,500 rows in one go, set-based: exactly the grants, accounts, outbox and audit rows expected", async () => {
    const s = await setup();
    await getDb().businessSystem.update({ where: { id: s.system.id }, data: { isConnected: true } });
    const prefix = `G${uniq(3)}`;
    const people = 1250;
    // People with master accounts, set-based (the factories would take minutes).
    await getDb().$executeRaw`
      INSERT INTO person (id, employee_no, name, org_unit_id, job_title, updated_at)
      SELECT gen_random_uuid(), ${prefix} || lpad(i::text, 4, '0'), '批量' || i, ${s.a.orgUnitId}::uuid, '工程师', now() FROM generate_series(1, ${people}) i`;
    await getDb().$executeRaw`
      INSERT INTO master_account (id, person_id, updated_at) SELECT gen_random_uuid(), id, now() FROM person WHERE employee_no LIKE ${`${prefix}%`}`;
    const lines = [HEADER];
    for (let i = 1; i <= people; i++) {
      const no = `${prefix}${String(i).padStart(4, "0")}`;
      // Every other person gets the login the file names; the others their employee number.
      lines.push(
        `${no},,${i % 2 ? `bulk${i}.${s.p}` : ""},QUERY_${s.p},,,批量授权,工单 BULK-1`,
        `${no},,,CASHIER_${s.p},,${dayFromToday(30)},批量授权,`,
      );
    }
    const table = await csv(lines, "bulk.csv", "utf8");
    const mark = await auditMark();
    const checked = await preview(s.admin, s.system.id, table);
    expect(errorsOf(checked)).toEqual([]);
    expect(checked.counts).toEqual({ grant: 2 * people });
    expect(await auditSince(mark)).toEqual([]);
    expect(await getDb().slaveAccount.count({ where: { systemId: s.system.id } })).toBe(0);

    expect(await commit(s.admin, s.system.id, table)).toMatchObject({ granted: 2 * people, unchanged: 0 });
    const accounts = await getDb().slaveAccount.findMany({
      where: { systemId: s.system.id },
      select: { id: true, loginName: true, personId: true, status: true, basis: true, createdById: true },
    });
    expect(accounts).toHaveLength(people);
    expect(accounts.filter((a) => a.loginName.startsWith("bulk"))).toHaveLength(people / 2);
    expect(accounts.every((a) => a.status === "ACTIVE" && a.basis === "工单 BULK-1" && a.createdById === s.admin.personId)).toBe(true);
    const grants = await liveGrants(s.system.id);
    expect(grants).toHaveLength(2 * people);
    expect(
      grants
        .filter((g) => g.role.code === `CASHIER_${s.p}`)
        .every((g) => g.endsAt?.toISOString() === endOfDay(dayFromToday(30)).toISOString() && g.basis === null),
    ).toBe(true);
    expect(await getDb().provisioningOutbox.count({ where: { systemId: s.system.id, operation: "slave-account.created" } })).toBe(people);
    expect(await getDb().provisioningOutbox.count({ where: { systemId: s.system.id, operation: "grant.created" } })).toBe(2 * people);

    // One event for the accounts created and one for the grants, each with an item per row, then the file's row.
    const audit = await auditSince(mark);
    expect(audit.map((r) => r.action)).toEqual(["slave-account.created", "grant.created", "grant.imported"]);
    expect(audit[1]!.summary).toMatchObject({ count: 2 * people, items: { count: 2 * people } });
    expect(itemIds(audit[1]!, "grant").sort()).toEqual(grants.map((g) => g.id).sort());
    expect(itemIds(audit[0]!, "slave-account").sort()).toEqual(accounts.map((a) => a.id).sort());
    // The list shows a bounded summary: no array of ids in it, however many grants.
    expect(JSON.stringify(audit[1]!.summary).length).toBeLessThan(600);
    expect(audit.at(-1)!.summary).toMatchObject({ rows: 2 * people, granted: 2 * people });
  }, 300_000);

  it("an import racing an administrator disabling one of the accounts: the row is refused, or the grant lands and is revoked with the others", async () => {
    for (const importFirst of [false, true]) {
      const s = await setup();
      await inTransaction((tx) => grantRole(tx, s.admin, { personId: s.a.person.id, roleId: s.roles.query.id, reason: "setup" }));
      const account = await getDb().slaveAccount.findFirstOrThrow({ where: { systemId: s.system.id, personId: s.a.person.id } });
      const table = await csv([HEADER, `${s.a.employeeNo},,,CASHIER_${s.p},,,并发,`, `${s.b.employeeNo},,,QUERY_${s.p},,,并发,`]);
      const disable = (tx: Tx) => changeSlaveAccountStatus(tx, s.admin, { slaveAccountId: account.id, change: "disable", reason: "Race" });
      const importing = (tx: Tx) => commitGrantImport(tx, s.admin, { systemId: s.system.id, table });
      if (importFirst) {
        const [a, b] = await Promise.allSettled(staggered(importing, disable));
        expect([a.status, b.status]).toEqual(["fulfilled", "fulfilled"]);
        // The disable waited for the import, then revoked both of the account's grants.
        const revoked = await getDb().accessGrant.findMany({
          where: { slaveAccountId: account.id },
          select: { revokedAt: true, role: { select: { code: true } } },
        });
        expect(revoked.map((g) => [g.role.code, g.revokedAt !== null]).sort()).toEqual([
          [`CASHIER_${s.p}`, true],
          [`QUERY_${s.p}`, true],
        ]);
        expect(await getDb().accessGrant.count({ where: { slaveAccount: { personId: s.b.person.id }, revokedAt: null } })).toBe(1);
      } else {
        const [a, b] = await Promise.allSettled(staggered(disable, importing));
        expect(a.status).toBe("fulfilled");
        expect(b.status).toBe("rejected");
        const error = (b as PromiseRejectedResult).reason as SystemImportInvalidError;
        expect(errorsOf(error.preview)).toEqual([{ line: 2, field: "roleCode", code: "SLAVE_ACCOUNT_INACTIVE" }]);
        // All or nothing: the other row's grant was not kept either.
        expect(await liveGrants(s.system.id)).toEqual([]);
      }
    }
  }, 120_000);
});
