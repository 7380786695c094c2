// Staff import (issue 3 item 11): every row checked, nothing written unless the whole file is valid,
import { decryptOptional } from "@/lib/crypto";
// everyone created through createPerson in one transaction with one "people.imported" row on top.
import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { getDb, inTransaction } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { readTable, type Table } from "@/lib/imports/read-table";
import { commitStaffImport, ImportInvalidError, previewStaffImport, type ImportPreview } from "@/lib/imports/staff-import";
import {
  actorName,
  auditMark,
  auditSince,
  dayFromToday,
  expectDomainError,
  makeActor,
  makeOrgUnit,
  makePerson,
  makeVendor,
  rejectionOf,
  uniq,
  withPii,
} from "../factories";

const HEADER = "工号,姓名,部门编码,岗位,用工类型,岗位类别,电话,邮箱,证件号码,合作单位,担保人工号,合同截止";

const preview = (actor: Actor, table: Table) => inTransaction((tx) => previewStaffImport(tx, actor, table));
const commit = (actor: Actor, table: Table) => inTransaction((tx) => commitStaffImport(tx, actor, table), { timeoutMs: 60_000 });
const csv = (lines: string[], fileName = "人员.csv", encoding = "gb18030") =>
  readTable(iconv.encode(`${lines.join("\r\n")}\r\n`, encoding), fileName);

async function setup() {
  const { actor: hr } = await makeActor(["HR"]);
  const unit = await makeOrgUnit({ name: "信息技术部" });
  const vendor = await makeVendor({ name: "华信外包", contractStartsOn: dayFromToday(-100), contractEndsOn: dayFromToday(400) });
  const sponsor = await makePerson({ orgUnitId: unit.id });
  return { hr, unit, vendor, sponsor };
}

type Setup = Awaited<ReturnType<typeof setup>>;

function rows(s: Setup, n = 3) {
  const p = uniq(3).toUpperCase();
  const nos = Array.from({ length: n }, (_, i) => `I${p}${String(i + 1).padStart(3, "0")}`);
  return {
    nos,
    lines: [
      HEADER,
      `${nos[0]},王建国,${s.unit.code},高级工程师,员工,开发测试、产品研发,13812345678,${nos[0]!.toLowerCase()}@example.com,,,,`,
      `${nos[1]},欧阳娜娜,${s.unit.code},"运维工程师（应用, 数据库）",员工,OPS_APPLICATION_ADMIN;DEV_TEST,,,110105194912310021,,,`,
      `${nos[2]},𠮷田 䶮,${s.unit.code},外包测试,第三方,开发测试,+86 139-1234-5678,,,${s.vendor.name},${s.sponsor.employeeNo},${dayFromToday(200).replace(/-/g, "/")}`,
    ].slice(0, n + 1),
  };
}

const errorsOf = (p: ImportPreview) => p.rows.flatMap((r) => r.errors.map((e) => ({ line: r.line, field: e.field, code: e.code })));

describe("staff import", () => {
  it("imports a valid GB18030 CSV: every row, exact Chinese, one people.imported audit row", async () => {
    const s = await setup();
    const { nos, lines } = rows(s);
    const table = await csv(lines);
    const checked = await preview(s.hr, table);
    expect(errorsOf(checked)).toEqual([]);
    expect(checked).toMatchObject({ validCount: 3, errorCount: 0, fileName: "人员.csv" });
    expect(await getDb().person.count({ where: { employeeNo: { in: nos } } })).toBe(0); // preview writes nothing

    const mark = await auditMark();
    const result = await commit(s.hr, table);
    expect(result.created).toBe(3);
    const people = await getDb()
      .person.findMany({
        where: { employeeNo: { in: nos } },
        orderBy: { employeeNo: "asc" },
        include: { account: true },
      })
      .then((rows) => rows.map(withPii));
    expect(people.map((p) => p.name)).toEqual(["王建国", "欧阳娜娜", "𠮷田 䶮"]);
    expect(people[0]).toMatchObject({ jobCategories: ["PRODUCT_RD", "DEV_TEST"], phone: "13812345678", orgUnitId: s.unit.id });
    expect(people[1]).toMatchObject({
      jobTitle: "运维工程师（应用, 数据库）",
      jobCategories: ["OPS_APPLICATION_ADMIN", "DEV_TEST"],
      idNumber: "110105194912310021",
    });
    expect(people[2]).toMatchObject({
      employmentType: "THIRD_PARTY",
      vendorId: s.vendor.id,
      sponsorId: s.sponsor.person.id,
      contractEndsOn: new Date(`${dayFromToday(200)}T00:00:00Z`),
    });
    expect(people.every((p) => p.account)).toBe(true);

    const audit = await auditSince(mark);
    const imported = audit.filter((r) => r.action === "people.imported");
    expect(imported).toHaveLength(1);
    expect(imported[0]).toMatchObject({
      actorId: s.hr.personId,
      actorName: actorName(s.hr),
      summary: { fileName: "人员.csv", format: "csv", rows: 3, employees: 2, thirdParties: 1 },
    });
    expect(audit.filter((r) => r.action === "person.created")).toHaveLength(3);
  });

  it("imports an xlsx with numeric phone cells and a zero-padded employee number", async () => {
    const s = await setup();
    const p = uniq(3);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Sheet1");
    ws.addRow(["employee_no", "name", "org_code", "job_title", "employment_type", "phone"]);
    ws.addRow([`X${p}01`, "李雷", s.unit.code, "分析师", "EMPLOYEE", 13812345678]);
    ws.addRow([Number.parseInt("123", 10), "韩梅梅", s.unit.code, "分析师", "EMPLOYEE", "13912345678"]);
    ws.getCell("A3").numFmt = "0000000";
    // The padded number must be unique across runs: use the random part as digits.
    ws.getCell("A3").value = Number.parseInt(p, 16) % 10_000_000;
    const expectedNo = String(Number.parseInt(p, 16) % 10_000_000).padStart(7, "0");
    const table = await readTable(Buffer.from(await wb.xlsx.writeBuffer()), "staff.xlsx");
    expect((await commit(s.hr, table)).created).toBe(2);
    const made = await getDb().person.findMany({
      where: { employeeNo: { in: [`X${p}01`, expectedNo] } },
      select: { employeeNo: true, phoneEnc: true },
    });
    expect(made.map((m) => decryptOptional(m.phoneEnc)).sort()).toEqual(["13812345678", "13912345678"]);
    expect(made.map((m) => m.employeeNo)).toContain(expectedNo);
  });

  it("one bad row: nothing is imported; the preview names the line and the field", async () => {
    const s = await setup();
    const { nos, lines } = rows(s);
    lines[2] = lines[2]!.replace("110105194912310021", "not-an-id!").replace("运维工程师", "运维");
    const table = await csv(lines, "bad.csv", "utf8");
    const checked = await preview(s.hr, table);
    expect(checked).toMatchObject({ validCount: 2, errorCount: 1 });
    expect(errorsOf(checked)).toEqual([{ line: 3, field: "idNumber", code: "id-number" }]);
    const mark = await auditMark();
    const error = await rejectionOf(commit(s.hr, table));
    expect(error).toBeInstanceOf(ImportInvalidError);
    expect(errorsOf((error as ImportInvalidError).preview)).toEqual([{ line: 3, field: "idNumber", code: "id-number" }]);
    expect(await getDb().person.count({ where: { employeeNo: { in: nos } } })).toBe(0);
    expect(await auditSince(mark)).toEqual([]);
  });

  it("reports missing columns, unknown org/vendor/sponsor, third-party rules and contract outside the vendor", async () => {
    const s = await setup();
    const noName = await preview(s.hr, await csv(["工号,部门编码,岗位", "E1,X,Y"]));
    expect(errorsOf(noName)).toEqual([{ line: 1, field: "name", code: "missing-column" }]);

    const p = uniq(3);
    const table = await csv([
      HEADER,
      `A${p}1,张三,NO-SUCH-ORG,工程师,员工,,,,,,,`,
      `A${p}2,李四,${s.unit.code},工程师,第三方,,,,,无此单位,${s.sponsor.employeeNo},${dayFromToday(30)}`,
      `A${p}3,王五,${s.unit.code},工程师,第三方,,,,,${s.vendor.name},NOBODY${p},${dayFromToday(30)}`,
      `A${p}4,赵六,${s.unit.code},工程师,第三方,,,,,${s.vendor.name},${s.sponsor.employeeNo},${dayFromToday(900)}`,
      `A${p}5,钱七,${s.unit.code},工程师,员工,不存在的类别,,,,${s.vendor.name},,`,
      `A${p}6,孙八,${s.unit.code},工程师,外星人,,,,,,,`,
      `A${p}7,周九,${s.unit.code},工程师,第三方,,,,,,,2020-01-01`,
    ]);
    const checked = await preview(s.hr, table);
    expect(checked).toMatchObject({ validCount: 0, errorCount: 7 });
    expect(errorsOf(checked)).toEqual([
      { line: 2, field: "orgCode", code: "unknown-org" },
      { line: 3, field: "vendor", code: "unknown-vendor" },
      { line: 4, field: "sponsorEmployeeNo", code: "unknown-sponsor" },
      { line: 5, field: "contractEndsOn", code: "CONTRACT_OUTSIDE_VENDOR" },
      { line: 6, field: "jobCategories", code: "unknown-job-category" },
      { line: 6, field: "vendor", code: "third-party-only" },
      { line: 7, field: "employmentType", code: "invalid" },
      { line: 8, field: "vendor", code: "third-party-required" },
      { line: 8, field: "sponsorEmployeeNo", code: "third-party-required" },
    ]);
    expect(checked.rows[3]!.errors[0]!.params).toMatchObject({ vendor: s.vendor.name });
  });

  it("finds duplicates within the file and against the database (employee number and e-mail)", async () => {
    const s = await setup();
    const existing = await makePerson({ orgUnitId: s.unit.id });
    const p = uniq(3);
    const table = await csv([
      HEADER,
      `D${p}1,甲,${s.unit.code},工程师,员工,,,d${p}@example.com,,,,`,
      `D${p}1,乙,${s.unit.code},工程师,员工,,,,,,,`,
      `D${p}3,丙,${s.unit.code},工程师,员工,,,D${p}@EXAMPLE.com,,,,`,
      `${existing.employeeNo},丁,${s.unit.code},工程师,员工,,,${existing.person.email},,,,`,
      `D${p}5,戊,${s.unit.code},工程师,员工,,,${existing.person.email!.toUpperCase()},,,,`,
    ]);
    const checked = await preview(s.hr, table);
    expect(errorsOf(checked)).toEqual([
      { line: 3, field: "employeeNo", code: "duplicate-in-file" },
      { line: 4, field: "email", code: "duplicate-in-file" },
      { line: 5, field: "employeeNo", code: "exists" },
      { line: 5, field: "email", code: "exists" },
      { line: 6, field: "email", code: "duplicate-in-file" },
    ]);
    expect(checked.rows[1]!.errors[0]!.params).toEqual({ line: 2 });
    expect(await rejectionOf(commit(s.hr, table))).toBeInstanceOf(ImportInvalidError);
    expect(await getDb().person.count({ where: { employeeNo: { startsWith: `D${p}` } } })).toBe(0);
  });

  it("lets a third party's sponsor join in the same file (employees are created first)", async () => {
    const s = await setup();
    const p = uniq(3);
    const table = await csv([
      HEADER,
      `S${p}1,外包员,${s.unit.code},测试,第三方,,,,,${s.vendor.name},S${p}2,${dayFromToday(100)}`,
      `S${p}2,新经理,${s.unit.code},经理,员工,,,,,,,`,
    ]);
    expect((await commit(s.hr, table)).created).toBe(2);
    const tp = await getDb().person.findUniqueOrThrow({ where: { employeeNo: `S${p}1` }, include: { sponsor: true } });
    expect(tp.sponsor?.employeeNo).toBe(`S${p}2`);
  });

  it("refuses anyone without people:manage, before reading a row", async () => {
    const s = await setup();
    const { actor: officer } = await makeActor(["SECURITY_OFFICER"]);
    const { actor: nobody } = await makeActor([]);
    const { lines, nos } = rows(s, 1);
    const table = await csv(lines);
    for (const actor of [officer, nobody]) {
      await expectDomainError(preview(actor, table), "FORBIDDEN");
      await expectDomainError(commit(actor, table), "FORBIDDEN");
    }
    expect(await getDb().person.count({ where: { employeeNo: { in: nos } } })).toBe(0);
  });

  it("handles hostile content: markup stored as text, formulas and 10,000-character cells refused", async () => {
    const s = await setup();
    const p = uniq(3);
    const huge = "字".repeat(10_000);
    const table = await csv(
      [
        HEADER,
        `H${p}1,<script>alert(1)</script>,${s.unit.code},"<img src=x onerror=alert(1)>",员工,,,,,,,`,
        `H${p}2,=CMD()|' /C calc'!A0,${s.unit.code},工程师,员工,,,,,,,`,
        `H${p}3,${huge},${s.unit.code},@SUM(1),员工,,,,,,,`,
        `${huge},某人,${s.unit.code},工程师,员工,,${huge},,,,,`,
        `H${p}5,"名字\u0000",${s.unit.code},工程师,员工,,1.38123E+10,,,,,`,
      ],
      "hostile.csv",
      "utf8",
    );
    const checked = await preview(s.hr, table);
    expect(errorsOf(checked)).toEqual([
      { line: 3, field: "name", code: "formula" },
      { line: 4, field: "jobTitle", code: "formula" },
      { line: 4, field: "name", code: "too-long" },
      { line: 5, field: "employeeNo", code: "employee-no" },
      { line: 5, field: "phone", code: "too-long" },
      { line: 6, field: "phone", code: "scientific" },
      { line: 6, field: "name", code: "invalid" },
    ]);
    // Echoed values are bounded, whatever the file held.
    expect(checked.rows[2]!.values.name!.length).toBeLessThanOrEqual(201);
    expect(await rejectionOf(commit(s.hr, table))).toBeInstanceOf(ImportInvalidError);

    // Markup alone is just text (React escapes it); stored exactly as given.
    const ok = await csv([HEADER, `H${p}9,<script>alert(1)</script>,${s.unit.code},"<b>x</b>",员工,,,,,,,`], "ok.csv", "utf8");
    expect((await commit(s.hr, ok)).created).toBe(1);
    expect(await getDb().person.findUniqueOrThrow({ where: { employeeNo: `H${p}9` } })).toMatchObject({
      name: "<script>alert(1)</script>",
      jobTitle: "<b>x</b>",
    });
  });
});
