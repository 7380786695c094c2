// Slave-account import and the last-login import, per business system (issue 3 items 7 and 11): rows
// checked set-wise, nothing written unless the whole file is valid, creates and updates set-based,
// audited; the exports re-import unchanged.
import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { getDb, inTransaction } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { readTable, type Table } from "@/lib/imports/read-table";
import { commitAccountImport, MAX_LIFECYCLE_CHANGES, previewAccountImport } from "@/lib/imports/account-import";
import { commitLastLoginImport, previewLastLoginImport } from "@/lib/imports/last-login-import";
import { SystemImportInvalidError } from "@/lib/imports/system-import";
import { recordSystemExport, systemExportStream, templateCsv } from "@/lib/imports/system-export";
import { changePersonStatus } from "@/lib/people/change-person-status";
import { createPermission } from "@/lib/systems/permissions";
import { createJobRole } from "@/lib/systems/job-roles";
import { changeRoleMatrix } from "@/lib/systems/change-role-matrix";
import { grantRole } from "@/lib/grants/grant-role";
import {
  actorName,
  auditMark,
  auditSince,
  expectDomainError,
  FACTORY,
  makeActor,
  makePerson,
  makeSystem,
  rejectionOf,
  uniq,
} from "../factories";
import { errorsOf, expectCommitRefused, expectOutsidersRefused, exportFile, streamBytes } from "../import-fixtures";

const HEADER = "登录名,属主工号,姓名,状态,最后登录时间,依据";

async function setup() {
  const system = await makeSystem();
  const { actor: admin, person: adminPerson } = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: system.id }]);
  const [a, b, c] = [await makePerson({ name: "王建国" }), await makePerson({ name: "欧阳娜娜" }), await makePerson({ name: "𠮷田 䶮" })];
  return { system, admin, adminPerson, a, b, c, p: uniq(3) };
}
type Setup = Awaited<ReturnType<typeof setup>>;

const csv = (lines: string[], fileName = "帐号.csv", encoding = "utf8", bom = true) =>
  readTable(
    Buffer.concat([
      bom && encoding === "utf8" ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0),
      iconv.encode(`${lines.join("\r\n")}\r\n`, encoding),
    ]),
    fileName,
  );
const preview = (actor: Actor, systemId: string, table: Table) =>
  inTransaction((tx) => previewAccountImport(tx, actor, { systemId, table }));
const commit = (actor: Actor, systemId: string, table: Table) =>
  inTransaction((tx) => commitAccountImport(tx, actor, { systemId, table }), { timeoutMs: 120_000 });
const accountsOf = (systemId: string) =>
  getDb().slaveAccount.findMany({
    where: { systemId },
    orderBy: { loginName: "asc" },
    select: { id: true, loginName: true, personId: true, status: true, lastLoginAt: true, basis: true, createdById: true },
  });

function validLines(s: Setup) {
  return [
    HEADER,
    `wang.${s.p},${s.a.employeeNo},王建国,正常,2025/11/3 8:05,工单 ITSM-2025-0042`,
    `ouyang.${s.p},${s.b.employeeNo},欧阳娜娜,锁定,2025-11-03 08:05:00,"系统盘点，2025年"`,
    `legacy.${s.p},,,停用,,`,
  ];
}

describe("slave-account import", () => {
  it("imports a UTF-8 (BOM) CSV with Chinese headers: new accounts, an orphan, one audit row naming them", async () => {
    const s = await setup();
    const table = await csv(validLines(s));
    const checked = await preview(s.admin, s.system.id, table);
    expect(errorsOf(checked)).toEqual([]);
    expect(checked).toMatchObject({ kind: "accounts", validCount: 3, errorCount: 0, counts: { create: 3 } });
    expect(checked.rows[2]!.notes).toEqual([{ field: "ownerEmployeeNo", code: "orphan-unknown-owner" }]);
    expect(await accountsOf(s.system.id)).toEqual([]); // the preview writes nothing

    const mark = await auditMark();
    const result = await commit(s.admin, s.system.id, table);
    expect(result).toMatchObject({ created: 3, updated: 0, unchanged: 0 });
    const accounts = await accountsOf(s.system.id);
    expect(accounts.map((a) => [a.loginName, a.personId, a.status, a.lastLoginAt?.toISOString() ?? null, a.basis])).toEqual([
      [`legacy.${s.p}`, null, "DISABLED", null, null],
      [`ouyang.${s.p}`, s.b.person.id, "LOCKED", "2025-11-03T00:05:00.000Z", "系统盘点，2025年"],
      // 8:05 in Asia/Shanghai is 00:05 UTC.
      [`wang.${s.p}`, s.a.person.id, "ACTIVE", "2025-11-03T00:05:00.000Z", "工单 ITSM-2025-0042"],
    ]);
    expect(accounts.every((a) => a.createdById === s.adminPerson.id)).toBe(true);
    expect(accounts.every((a) => /^[0-9a-f]{8}-[0-9a-f]{4}-7/.test(a.id))).toBe(true);

    const audit = await auditSince(mark);
    expect(audit.map((r) => r.action)).toEqual(["slave-account.imported"]);
    expect(audit[0]).toMatchObject({
      actorId: s.adminPerson.id,
      actorName: actorName(s.admin),
      targetType: "system",
      targetId: s.system.id,
      summary: { fileName: "帐号.csv", format: "csv", rows: 3, created: 3, updated: 0, unchanged: 0, items: { count: 3 } },
    });
    // One bulk event, an item per account (issue 14 §3).
    const named = audit[0]!.items.map((i) => ({ id: i.subjectId, ...(i.detail as { loginName: string; change: string }) }));
    expect(named.map((n) => [n.loginName, n.change]).sort()).toEqual([
      [`legacy.${s.p}`, "created"],
      [`ouyang.${s.p}`, "created"],
      [`wang.${s.p}`, "created"],
    ]);
    expect(named.map((n) => n.id).sort()).toEqual(accounts.map((a) => a.id).sort());
  });

  it("reads GB18030 (Chinese Excel's CSV) and XLSX with date cells and Excel serial numbers", async () => {
    const s = await setup();
    const gb = await csv(validLines(s).slice(0, 2), "帐号.csv", "gb18030", false);
    expect(gb.encoding).toBe("gb18030");
    expect((await commit(s.admin, s.system.id, gb)).created).toBe(1);

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("从帐号");
    ws.addRow(["登录名", "属主工号", "状态", "最后登录时间", "依据"]);
    // exceljs hands a date cell over as its wall clock in UTC, like Excel stores it.
    ws.addRow([`ouyang.${s.p}`, s.b.employeeNo, "已锁定", new Date(Date.UTC(2025, 10, 3, 8, 5)), "盘点"]);
    ws.addRow([`yoshida.${s.p}`, s.c.employeeNo, "启用", 45964.5, ""]); // 2025-11-03 12:00
    ws.addRow([`wang.${s.p}`, s.a.employeeNo, "正常", "2025年11月4日 下午 3:30", ""]);
    const table = await readTable(Buffer.from(await wb.xlsx.writeBuffer()), "帐号.xlsx");
    const checked = await preview(s.admin, s.system.id, table);
    expect(errorsOf(checked)).toEqual([]);
    expect(checked.counts).toEqual({ create: 2, update: 1 });
    await commit(s.admin, s.system.id, table);
    const accounts = await accountsOf(s.system.id);
    expect(accounts.map((a) => [a.loginName, a.personId, a.status, a.lastLoginAt?.toISOString()])).toEqual([
      [`ouyang.${s.p}`, s.b.person.id, "LOCKED", "2025-11-03T00:05:00.000Z"],
      [`wang.${s.p}`, s.a.person.id, "ACTIVE", "2025-11-04T07:30:00.000Z"],
      [`yoshida.${s.p}`, s.c.person.id, "ACTIVE", "2025-11-03T04:00:00.000Z"],
    ]);
  });

  it("one bad row of each kind: nothing is written, every row names its error", async () => {
    const s = await setup();
    // c already has an account here: a second one for them is refused (R2, the database's index too).
    await commit(s.admin, s.system.id, await csv([HEADER, `c.${s.p},${s.c.employeeNo},,正常,,`]));
    const before = await accountsOf(s.system.id);
    const table = await csv([
      HEADER,
      `ok.${s.p},${s.a.employeeNo},,正常,,`,
      `nobody.${s.p},NOBODY${s.p},,正常,,`,
      `ok.${s.p},,,正常,,`,
      `bad status.${s.p},${s.b.employeeNo},,休眠,2025-13-01 08:00,`,
      `second.${s.p},${s.c.employeeNo},,正常,,`,
      `b2.${s.p},${s.b.employeeNo},,作废,昨天,`,
      `dup.${s.p},${s.a.employeeNo},,正常,,`,
      `future.${s.p},,,正常,2099-01-01 00:00,=HYPERLINK("x")`,
      `,,,正常,,`,
    ]);
    const checked = await preview(s.admin, s.system.id, table);
    expect(errorsOf(checked)).toEqual([
      { line: 3, field: "ownerEmployeeNo", code: "unknown-person" },
      { line: 4, field: "loginName", code: "duplicate-in-file" },
      { line: 5, field: "loginName", code: "login-name" },
      { line: 5, field: "status", code: "invalid-status" },
      { line: 5, field: "lastLogin", code: "invalid-date-time" },
      { line: 6, field: "ownerEmployeeNo", code: "person-has-account" },
      { line: 7, field: "status", code: "invalid-status" },
      { line: 7, field: "lastLogin", code: "invalid-date-time" },
      { line: 7, field: "ownerEmployeeNo", code: "duplicate-in-file" },
      { line: 8, field: "ownerEmployeeNo", code: "duplicate-in-file" },
      { line: 9, field: "lastLogin", code: "in-future" },
      { line: 9, field: "basis", code: "formula" },
      { line: 10, field: "loginName", code: "required" },
    ]);
    expect(checked.rows[1]!.errors[0]!.params).toBeUndefined();
    expect(checked.rows[2]!.errors[0]!.params).toEqual({ line: 2 });
    expect(checked.rows[4]!.errors[0]!.params).toEqual({ login: `c.${s.p}` });
    expect(checked).toMatchObject({ validCount: 1, errorCount: 8 });

    await expectCommitRefused(() => commit(s.admin, s.system.id, table), checked);
    expect(await accountsOf(s.system.id)).toEqual(before);
  });

  it("refuses a file without the login-name or owner column, and anyone but this system's account administrators", async () => {
    const s = await setup();
    const noOwner = await preview(s.admin, s.system.id, await csv(["登录名,状态", "x1,正常"]));
    expect(errorsOf(noOwner)).toEqual([{ line: 1, field: "ownerEmployeeNo", code: "missing-column" }]);
    const empty = await preview(s.admin, s.system.id, await csv([HEADER]));
    expect(errorsOf(empty)).toEqual([{ line: 1, field: "file", code: "no-rows" }]);

    const table = await csv(validLines(s));
    await expectOutsidersRefused(s.system.id, table, preview, commit);
    await expectDomainError(preview(s.admin, "not-a-uuid", table), "NOT_FOUND");
    expect(await accountsOf(s.system.id)).toEqual([]);
  });

  it("re-importing: status changes and an orphan's owner go through the account lifecycle, last logins are set, unchanged rows stay", async () => {
    const s = await setup();
    await commit(s.admin, s.system.id, await csv(validLines(s)));
    const before = await accountsOf(s.system.id);
    const wang = before.find((a) => a.loginName === `wang.${s.p}`)!;
    const legacy = before.find((a) => a.loginName === `legacy.${s.p}`)!;

    // Last month's file again, with wang locked, ouyang unchanged, the orphan given its owner c and
    // an empty owner cell (keeps the stored owner) for wang.
    const table = await csv([
      HEADER,
      `wang.${s.p},,王建国,锁定,2025-11-20 09:00,工单 ITSM-2025-0099`,
      `ouyang.${s.p},${s.b.employeeNo},欧阳娜娜,锁定,2025-11-03 08:05:00,`,
      `legacy.${s.p},${s.c.employeeNo},,停用,,`,
    ]);
    let mark = await auditMark();
    const checked = await preview(s.admin, s.system.id, table);
    expect(errorsOf(checked)).toEqual([]);
    expect(checked.rows.map((r) => r.action)).toEqual(["update", "unchanged", "update"]);
    // The preview ran the lifecycle use cases and rolled them back.
    expect(await accountsOf(s.system.id)).toEqual(before);
    expect(await auditSince(mark)).toEqual([]);

    mark = await auditMark();
    expect(await commit(s.admin, s.system.id, table)).toMatchObject({ created: 0, updated: 2, unchanged: 1 });
    const after = await accountsOf(s.system.id);
    expect(after.find((a) => a.id === wang.id)).toMatchObject({
      personId: s.a.person.id,
      status: "LOCKED",
      lastLoginAt: new Date("2025-11-20T01:00:00Z"),
      basis: wang.basis,
    });
    expect(after.find((a) => a.id === legacy.id)).toMatchObject({ personId: s.c.person.id, status: "DISABLED" });
    const audit = await auditSince(mark);
    expect(audit.map((r) => [r.action, r.targetId])).toEqual([
      ["slave-account.locked", wang.id],
      ["slave-account.owner-assigned", legacy.id],
      ["slave-account.imported", s.system.id],
    ]);
    expect(audit[0]).toMatchObject({ reason: "Account import: 帐号.csv, row 2", basis: "工单 ITSM-2025-0099" });
    expect(audit[2]!.summary).toMatchObject({ ownersAssigned: 1, statusesChanged: 1 });
    const details = audit[2]!.items.map((i) => i.detail as { loginName: string });
    expect(details.find((n) => n.loginName === `wang.${s.p}`)).toMatchObject({
      change: "updated",
      basis: "工单 ITSM-2025-0099",
      before: { status: "ACTIVE", personId: s.a.person.id },
      after: { status: "LOCKED", personId: s.a.person.id },
    });

    // Another owner for wang's account, a deleted account's name, a disabled account straight to
    // locked, an ownerless account re-enabled: refused.
    await getDb().slaveAccount.create({ data: { systemId: s.system.id, loginName: `gone.${s.p}`, status: "DELETED" } });
    await commit(s.admin, s.system.id, await csv([HEADER, `off.${s.p},,,停用,,`]));
    const refused = await preview(
      s.admin,
      s.system.id,
      await csv([HEADER, `wang.${s.p},${s.b.employeeNo},,正常,,`, `gone.${s.p},,,正常,,`, `legacy.${s.p},,,锁定,,`, `off.${s.p},,,正常,,`]),
    );
    expect(errorsOf(refused)).toEqual([
      { line: 2, field: "ownerEmployeeNo", code: "owner-differs" },
      { line: 3, field: "loginName", code: "deleted-account" },
      { line: 4, field: "status", code: "SLAVE_ACCOUNT_TRANSITION" },
      { line: 5, field: "status", code: "SLAVE_ACCOUNT_ORPHAN" },
    ]);
    expect(refused.rows[0]!.errors[0]!.params).toEqual({ owner: s.a.employeeNo });
    expect(refused.rows[2]!.errors[0]!.params).toEqual({ status: "DISABLED", change: "lock" });
  });

  it("disabling by import revokes the account's live grants (the lifecycle's rule)", async () => {
    const s = await setup();
    await commit(s.admin, s.system.id, await csv([HEADER, `wang.${s.p},${s.a.employeeNo},,正常,,`]));
    const role = await inTransaction((tx) =>
      createJobRole(tx, s.admin, { systemId: s.system.id, code: `R_${s.p}`.toUpperCase(), name: "角色", reason: "setup" }),
    );
    const grant = await inTransaction((tx) => grantRole(tx, s.admin, { personId: s.a.person.id, roleId: role.id, reason: "setup" }));
    await commit(s.admin, s.system.id, await csv([HEADER, `wang.${s.p},${s.a.employeeNo},,停用,,盘点：已停用`]));
    expect(await getDb().accessGrant.findUniqueOrThrow({ where: { id: grant.id } })).toMatchObject({
      revokedAt: expect.any(Date),
      revokeReason: `Account import: 帐号.csv, row 2`,
    });
  });

  it("an orphan gets its owner through the policy engine; an owner who has left makes an orphan", async () => {
    const s = await setup();
    await commit(s.admin, s.system.id, await csv([HEADER, `orphan.${s.p},,,正常,,`]));
    const orphan = await getDb().slaveAccount.findFirstOrThrow({ where: { systemId: s.system.id, loginName: `orphan.${s.p}` } });
    // A sensitive grant left over on the orphan (history can leave one; the engine never adds one).
    const role = await inTransaction(async (tx) => {
      const perm = await createPermission(tx, s.admin, {
        systemId: s.system.id,
        code: `S.${s.p}`.toUpperCase(),
        name: "敏感查询",
        dataKind: "IDENTITY",
        sensitivity: "SENSITIVE",
        operation: "QUERY",
        reason: "setup",
      });
      const r = await createJobRole(tx, s.admin, {
        systemId: s.system.id,
        code: `R.${s.p}`.toUpperCase(),
        name: "敏感角色",
        reason: "setup",
      });
      await changeRoleMatrix(tx, s.admin, {
        systemId: s.system.id,
        add: [{ roleId: r.id, permissionId: perm.id }],
        remove: [],
        reason: "setup",
      });
      return r;
    });
    await getDb().accessGrant.create({ data: { slaveAccountId: orphan.id, roleId: role.id, reason: "history" } });
    const contractor = await makePerson({ employmentType: "THIRD_PARTY" });
    const refused = await preview(s.admin, s.system.id, await csv([HEADER, `orphan.${s.p},${contractor.employeeNo},,正常,,`]));
    expect(errorsOf(refused)).toEqual([{ line: 2, field: "ownerEmployeeNo", code: "THIRD_PARTY_SENSITIVE_PERMISSION" }]);
    expect(await getDb().slaveAccount.findUniqueOrThrow({ where: { id: orphan.id } })).toMatchObject({ personId: null });

    await inTransaction((tx) => changePersonStatus(tx, FACTORY, { personId: s.b.person.id, status: "LEFT", reason: "Left the company" }));
    const toLeaver = await preview(s.admin, s.system.id, await csv([HEADER, `orphan.${s.p},${s.b.employeeNo},,正常,,`]));
    expect(errorsOf(toLeaver)).toEqual([{ line: 2, field: "ownerEmployeeNo", code: "OWNER_NOT_ACTIVE" }]);
    const left = await preview(s.admin, s.system.id, await csv([HEADER, `leaver.${s.p},${s.b.employeeNo},,正常,,`]));
    expect(errorsOf(left)).toEqual([]);
    expect(left.rows[0]!.notes).toEqual([{ field: "ownerEmployeeNo", code: "orphan-owner-left" }]);

    // An employee may take it over: the engine finds nothing against them.
    expect(await commit(s.admin, s.system.id, await csv([HEADER, `orphan.${s.p},${s.a.employeeNo},,正常,,`]))).toMatchObject({
      updated: 1,
    });
    expect(await getDb().slaveAccount.findUniqueOrThrow({ where: { id: orphan.id } })).toMatchObject({ personId: s.a.person.id });
  });

  it("checks 20,000 rows with a handful of queries and imports them set-based", async () => {
    const s = await setup();
    const lines = [HEADER];
    for (let i = 0; i < 20_000; i++)
      lines.push(`bulk${i}.${s.p},,,${i % 3 === 0 ? "锁定" : "正常"},2025-10-${String((i % 28) + 1).padStart(2, "0")} 10:00,盘点`);
    const table = await csv(lines);
    const started = Date.now();
    const checked = await preview(s.admin, s.system.id, table);
    const previewMs = Date.now() - started;
    expect(checked).toMatchObject({ validCount: 20_000, errorCount: 0 });
    const mark = await auditMark();
    const t0 = Date.now();
    expect((await commit(s.admin, s.system.id, table)).created).toBe(20_000);
    console.info(`account import, 20,000 rows: preview ${previewMs} ms, commit ${Date.now() - t0} ms`);
    expect(await getDb().slaveAccount.count({ where: { systemId: s.system.id } })).toBe(20_000);
    // One audit event with an item per account.
    const audit = await auditSince(mark);
    expect(audit.map((r) => r.action)).toEqual(["slave-account.imported"]);
    expect(audit[0]!.items).toHaveLength(20_000);
    expect(audit[0]!.summary).toMatchObject({ created: 20_000, items: { count: 20_000, kinds: { "slave-account": 20_000 } } });
    // Importing the same file again changes nothing.
    expect(await commit(s.admin, s.system.id, table)).toMatchObject({ created: 0, updated: 0, unchanged: 20_000 });
    // Disabling them all is 20,000 lifecycle changes (a use case each): more than a file may hold.
    const disableAll = await csv(lines.map((l, i) => (i === 0 ? l : l.replace(/,(锁定|正常),/, ",停用,"))));
    const refused = await preview(s.admin, s.system.id, disableAll);
    expect(errorsOf(refused)).toEqual([{ line: 1, field: "file", code: "too-many-account-changes" }]);
    expect(refused.rows[0]!.errors[0]!.params).toEqual({ max: MAX_LIFECYCLE_CHANGES, count: 20_000 });
  }, 180_000);

  it("exports CSV and XLSX in the import's columns: re-importing either changes nothing; exports are audited", async () => {
    const s = await setup();
    await commit(s.admin, s.system.id, await csv(validLines(s)));
    for (const format of ["csv", "xlsx"] as const) {
      const { audit, bytes } = await exportFile(s.admin, s.system.id, "accounts", format);
      expect(audit.map((r) => [r.action, r.targetId, (r.summary as { format: string }).format])).toEqual([
        ["slave-account.exported", s.system.id, format],
      ]);
      if (format === "csv") {
        expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
        expect(bytes.toString("utf8")).toContain(`wang.${s.p},${s.a.employeeNo},王建国,正常,2025-11-03 08:05:00,工单 ITSM-2025-0042`);
      }
      const table = await readTable(bytes, `export.${format}`);
      expect(table.rows[0]).toEqual(["登录名", "属主工号", "姓名", "状态", "最后登录时间", "依据"]);
      const again = await preview(s.admin, s.system.id, table);
      expect(errorsOf(again)).toEqual([]);
      expect(again.counts).toEqual({ unchanged: 3 });
    }
    const { actor: otherAdmin } = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: (await makeSystem()).id }]);
    await expectDomainError(
      inTransaction((tx) => recordSystemExport(tx, otherAdmin, { systemId: s.system.id, what: "accounts", format: "csv" })),
      "FORBIDDEN",
    );
    // The template is a file the import reads: its rows are valid apart from the example people.
    const template = await readTable(Buffer.from(templateCsv("accounts")), "template.csv");
    expect(errorsOf(await preview(s.admin, s.system.id, template)).map((e) => e.code)).toEqual(["unknown-person"]);
  });

  it("neutralises formulas in the export and reads them back", async () => {
    const s = await setup();
    // Login names may start with "-" or "@"; the CSV export writes them with an apostrophe.
    await commit(s.admin, s.system.id, await csv([HEADER, `-dash.${s.p},,,正常,,`, `@at.${s.p},,,正常,,`]));
    const bytes = await streamBytes(systemExportStream(s.system.id, "accounts", "csv"));
    expect(bytes.toString("utf8")).toContain(`'-dash.${s.p}`);
    const again = await preview(s.admin, s.system.id, await readTable(bytes, "export.csv"));
    expect(errorsOf(again)).toEqual([]);
    expect(again.counts).toEqual({ unchanged: 2 });
  });
});

const LL_HEADER = "登录名,最后登录时间";
const previewLL = (actor: Actor, systemId: string, table: Table) =>
  inTransaction((tx) => previewLastLoginImport(tx, actor, { systemId, table }));
const commitLL = (actor: Actor, systemId: string, table: Table) =>
  inTransaction((tx) => commitLastLoginImport(tx, actor, { systemId, table }));

describe("last-login import", () => {
  it("updates last logins set-based, latest time wins, never backwards, unknown names reported; one audit row with counts", async () => {
    const s = await setup();
    await commit(
      s.admin,
      s.system.id,
      await csv([
        HEADER,
        `wang.${s.p},${s.a.employeeNo},,正常,2025-11-10 09:00,`,
        `ouyang.${s.p},${s.b.employeeNo},,正常,,`,
        `legacy.${s.p},,,正常,,`,
      ]),
    );
    const table = await csv(
      [
        LL_HEADER,
        `wang.${s.p},2025/11/3 8:05`, // older than stored: kept
        `ouyang.${s.p},2025/11/3 8:05`,
        `ouyang.${s.p},2025-11-12 18:30:00`, // the later one wins
        `legacy.${s.p},2025年11月1日 9时5分`,
        `ghost.${s.p},2025-11-01 10:00`,
        `ghost.${s.p},2025-11-02 10:00`,
      ],
      "登录日志.csv",
      "gb18030",
      false,
    );
    const checked = await previewLL(s.admin, s.system.id, table);
    expect(errorsOf(checked)).toEqual([]);
    expect(checked.rows.map((r) => [r.line, r.action, r.notes.map((n) => n.code)])).toEqual([
      [2, "unchanged", ["older-than-stored"]],
      [3, "unchanged", ["later-row"]],
      [4, "update", []],
      [5, "update", []],
      [6, "skip", ["unknown-login"]],
      [7, "skip", ["unknown-login"]],
    ]);
    const mark = await auditMark();
    expect(await commitLL(s.admin, s.system.id, table)).toMatchObject({ updated: 2, unchanged: 2, unknown: 1 });
    const accounts = await accountsOf(s.system.id);
    expect(accounts.map((a) => [a.loginName, a.lastLoginAt?.toISOString()])).toEqual([
      [`legacy.${s.p}`, "2025-11-01T01:05:00.000Z"],
      [`ouyang.${s.p}`, "2025-11-12T10:30:00.000Z"],
      [`wang.${s.p}`, "2025-11-10T01:00:00.000Z"],
    ]);
    const audit = await auditSince(mark);
    expect(audit.map((r) => r.action)).toEqual(["slave-account.last-login-imported"]);
    expect(audit[0]).toMatchObject({
      targetType: "system",
      targetId: s.system.id,
      summary: {
        fileName: "登录日志.csv",
        rows: 6,
        updated: 2,
        unchanged: 2,
        unknownRows: 2,
        unknownLogins: 1,
        unknownLoginNames: [`ghost.${s.p}`],
      },
    });
  });

  it("a bad date stops the whole file; XLSX serial dates are read", async () => {
    const s = await setup();
    await commit(
      s.admin,
      s.system.id,
      await csv([HEADER, `wang.${s.p},${s.a.employeeNo},,正常,,`, `ouyang.${s.p},${s.b.employeeNo},,正常,,`]),
    );
    const bad = await csv([LL_HEADER, `wang.${s.p},2025-11-03 08:05`, `ouyang.${s.p},11/3/2025`, `,2025-11-03`]);
    const checked = await previewLL(s.admin, s.system.id, bad);
    expect(errorsOf(checked)).toEqual([
      { line: 3, field: "lastLogin", code: "invalid-date-time" },
      { line: 4, field: "loginName", code: "required" },
    ]);
    expect(await rejectionOf(commitLL(s.admin, s.system.id, bad))).toBeInstanceOf(SystemImportInvalidError);
    expect((await accountsOf(s.system.id)).every((a) => a.lastLoginAt === null)).toBe(true);

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Sheet1");
    ws.addRow(["login_name", "last_login"]);
    ws.addRow([`wang.${s.p}`, 45964.336805555555]); // 2025-11-03 08:05
    ws.addRow([`ouyang.${s.p}`, new Date(Date.UTC(2025, 10, 3, 8, 5))]);
    const table = await readTable(Buffer.from(await wb.xlsx.writeBuffer()), "logins.xlsx");
    expect(await commitLL(s.admin, s.system.id, table)).toMatchObject({ updated: 2 });
    expect((await accountsOf(s.system.id)).map((a) => a.lastLoginAt?.toISOString())).toEqual([
      "2025-11-03T00:05:00.000Z",
      "2025-11-03T00:05:00.000Z",
    ]);
  });

  it("is for this system's account administrators only", async () => {
    const s = await setup();
    const { actor: hr } = await makeActor(["HR"]);
    const table = await csv([LL_HEADER, `x.${s.p},2025-11-03 08:05`]);
    await expectDomainError(previewLL(hr, s.system.id, table), "FORBIDDEN");
    await expectDomainError(commitLL(hr, s.system.id, table), "FORBIDDEN");
  });
});
