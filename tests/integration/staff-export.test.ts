// Staff export (issue 3 item 11): the people list with its filters and the actor's scope, in the
// staff import's columns (Chinese headers), personal data masked, audited with the filter and format.
import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { readTable } from "@/lib/imports/read-table";
import { HEADERS, IMPORT_FIELDS, normaliseHeader, type ImportField } from "@/lib/imports/staff-import";
import {
  recordStaffExport,
  StaffExportQuery,
  staffExportStream,
  STAFF_EXPORT_HEADER,
  type StaffExportFilter,
} from "@/lib/imports/staff-export";
import { auditMark, auditSince, expectDomainError, makeActor, makeOrgUnit, makePerson } from "../factories";

const filterOf = (raw: Record<string, string>): StaffExportFilter => {
  const { format: _f, ...filter } = StaffExportQuery.parse({ format: "csv", ...raw });
  void _f;
  return filter;
};

async function exportBytes(actor: Actor, raw: Record<string, string>, format: "csv" | "xlsx" = "csv") {
  const filter = filterOf(raw);
  await inTransaction((tx) => recordStaffExport(tx, actor, filter, format));
  return new Uint8Array(await new Response(staffExportStream(actor, filter, format)).arrayBuffer());
}

async function exportTable(actor: Actor, raw: Record<string, string>, format: "csv" | "xlsx" = "csv") {
  return readTable(await exportBytes(actor, raw, format), `export.${format}`);
}

const FIELD_OF = new Map<string, ImportField>(
  IMPORT_FIELDS.flatMap((f) => HEADERS[f].map((h) => [normaliseHeader(h), f] as [string, ImportField])),
);

async function setup() {
  const { actor: hr } = await makeActor(["HR"]);
  const parent = await makeOrgUnit({ name: "市场部" });
  const child = await makeOrgUnit({ parentId: parent.id, name: "市场一组" });
  const other = await makeOrgUnit({ name: "其他部门" });
  const inParent = await makePerson({
    orgUnitId: parent.id,
    name: "欧阳娜娜",
    phone: "13812345678",
    idNumber: "110105194912310021",
    password: null,
  });
  const inChild = await makePerson({ orgUnitId: child.id, name: "𠮷田 䶮", phone: "13998765432", password: null });
  const third = await makePerson({ orgUnitId: child.id, employmentType: "THIRD_PARTY", password: null });
  const outside = await makePerson({ orgUnitId: other.id, password: null });
  const { actor: approver } = await makeActor([{ role: "APPROVER", orgUnitId: child.id }]);
  return { hr, approver, parent, child, other, inParent, inChild, third, outside };
}

describe("staff export", () => {
  it("streams the filtered list as UTF-8 CSV with a BOM, the import's Chinese headers, masked personal data", async () => {
    const s = await setup();
    const bytes = await exportBytes(s.hr, { org: s.parent.id });
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    expect(text.split("\r\n")[0]).toBe(`\uFEFF${STAFF_EXPORT_HEADER.join(",")}`);
    expect(STAFF_EXPORT_HEADER[0]).toBe("工号");

    const table = await exportTable(s.hr, { org: s.parent.id });
    const [header, ...rows] = table.rows;
    const col = (f: ImportField) => header!.findIndex((h) => FIELD_OF.get(normaliseHeader(h)) === f);
    const byNo = new Map(rows.map((r) => [r[col("employeeNo")], r]));
    // The filter: the parent and its subtree, nobody from elsewhere.
    expect([...byNo.keys()].sort()).toEqual([s.inParent.employeeNo, s.inChild.employeeNo, s.third.employeeNo].sort());
    expect(byNo.has(s.outside.employeeNo)).toBe(false);

    const a = byNo.get(s.inParent.employeeNo)!;
    expect(a[col("name")]).toBe("欧阳娜娜");
    expect(a[col("orgCode")]).toBe(s.parent.code);
    expect(a[col("employmentType")]).toBe("员工");
    expect(a[col("phone")]).toBe("138****5678");
    expect(a[col("idNumber")]).toBe("1101**********0021");
    expect(a[col("email")]).toMatch(/^t\*\*\*@test\.example$/);
    expect(byNo.get(s.inChild.employeeNo)![col("name")]).toBe("𠮷田 䶮");
    // Full personal data never leaves.
    expect(text).not.toContain("13812345678");
    expect(text).not.toContain("110105194912310021");
    expect(text).not.toContain(`${s.inParent.employeeNo.toLowerCase()}@test.example`);

    const t = byNo.get(s.third.employeeNo)!;
    expect(t[col("employmentType")]).toBe("第三方");
    expect(t[col("vendor")]).toMatch(/Acme Outsourcing/);
    expect(t[col("sponsorEmployeeNo")]).toMatch(/^T/);
    expect(t[col("contractEndsOn")]).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // Other filters are respected too.
    const thirdOnly = await exportTable(s.hr, { org: s.parent.id, type: "THIRD_PARTY" });
    expect(thirdOnly.rows.slice(1).map((r) => r[0])).toEqual([s.third.employeeNo]);
    const byQ = await exportTable(s.hr, { org: s.parent.id, q: "欧阳" });
    expect(byQ.rows.slice(1).map((r) => r[0])).toEqual([s.inParent.employeeNo]);
  });

  it("neutralises a formula in a cell", async () => {
    const s = await setup();
    await getDb().person.update({ where: { id: s.inParent.person.id }, data: { name: '=HYPERLINK("http://evil","x")' } });
    const text = new TextDecoder().decode(await exportBytes(s.hr, { org: s.parent.id, q: s.inParent.employeeNo }));
    expect(text).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it("an approver exports only their subtree, whatever the filter asks", async () => {
    const s = await setup();
    const table = await exportTable(s.approver, {});
    const nos = table.rows
      .slice(1)
      .map((r) => r[0])
      .sort();
    expect(nos).toEqual([s.inChild.employeeNo, s.third.employeeNo].sort());
    const asked = await exportTable(s.approver, { org: s.other.id });
    expect(asked.rows.slice(1)).toEqual([]);
  });

  it("streams XLSX with the same header and strings", async () => {
    const s = await setup();
    const table = await exportTable(s.hr, { org: s.child.id, sort: "employeeNo" }, "xlsx");
    expect(table.format).toBe("xlsx");
    expect(table.rows[0]).toEqual(STAFF_EXPORT_HEADER);
    expect(table.rows.slice(1).map((r) => r[0])).toEqual([s.inChild.employeeNo, s.third.employeeNo].sort());
    expect(table.rows.find((r) => r[0] === s.inChild.employeeNo)![1]).toBe("𠮷田 䶮");
  });

  it("audits the export with the filter and format; refuses who may not read people", async () => {
    const s = await setup();
    const mark = await auditMark();
    await exportBytes(s.hr, { org: s.parent.id, status: "ACTIVE" }, "xlsx");
    const rows = (await auditSince(mark)).filter((r) => r.action === "people.exported");
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actorId).toBe(s.hr.kind === "person" ? s.hr.personId : null);
    expect(rows[0]!.summary).toEqual({ filter: { org: s.parent.id, status: "ACTIVE", sort: "name" }, format: "xlsx" });

    const { actor: nobody } = await makeActor([]);
    await expectDomainError(
      inTransaction((tx) => recordStaffExport(tx, nobody, filterOf({}), "csv")),
      "FORBIDDEN",
    );
  });

  it("rejects bad query values instead of dropping them", () => {
    expect(StaffExportQuery.safeParse({ format: "pdf" }).success).toBe(false);
    expect(StaffExportQuery.safeParse({}).success).toBe(false);
    expect(StaffExportQuery.safeParse({ format: "csv", org: "nope" }).success).toBe(false);
    expect(StaffExportQuery.safeParse({ format: "csv", status: "GONE" }).success).toBe(false);
    expect(StaffExportQuery.safeParse({ format: "xlsx", org: "", q: "" }).success).toBe(true);
  });

  it("round-trips: the exported CSV, read as an import file, maps every column to the import's fields", async () => {
    const s = await setup();
    const table = await exportTable(s.hr, { org: s.parent.id });
    expect(table.encoding).toBe("utf-8");
    expect(table.rows[0]!.map((h) => FIELD_OF.get(normaliseHeader(h)))).toEqual([...IMPORT_FIELDS]);
    const row = table.rows.find((r) => r[0] === s.inParent.employeeNo)!;
    expect(row.slice(0, 4)).toEqual([s.inParent.employeeNo, "欧阳娜娜", s.parent.code, "Engineer"]);
  });
});
