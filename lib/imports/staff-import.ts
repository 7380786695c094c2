import type { z } from "zod";
import { emailIndex } from "@/lib/people/pii";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordBulkAuditEvent } from "@/lib/audit/record-audit-event";
import { createPerson } from "@/lib/people/create-person";
import { CreatePersonInput, EMPLOYEE_NO, JOB_CATEGORIES, type JobCategoryCode } from "@/lib/people/schemas";
import { assertContractWithinVendor } from "@/lib/people/third-party";
import en from "@/messages/en.json";
import zh from "@/messages/zh-CN.json";
import type { Table } from "./read-table";

// Staff import (issue 3 item 11): every row validated with the joiner form's rules (CreatePersonInput,
// then the facts createPerson checks in the database), looked up set-wise; nothing is written unless
// the whole file is valid, and then every person is created through createPerson in one transaction.

export const IMPORT_FIELDS = [
  "employeeNo",
  "name",
  "orgCode",
  "jobTitle",
  "employmentType",
  "jobCategories",
  "phone",
  "email",
  "idNumber",
  "vendor",
  "sponsorEmployeeNo",
  "contractEndsOn",
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

const REQUIRED_COLUMNS: ImportField[] = ["employeeNo", "name", "orgCode", "jobTitle"];

/** The headers a column is recognised by (compared after normalisation), Chinese first: the template's. */
export const HEADERS: Record<ImportField, string[]> = {
  employeeNo: ["工号", "员工编号", "employee_no", "employeeno"],
  name: ["姓名", "name"],
  orgCode: ["部门编码", "机构编码", "org_code", "orgcode", "department_code"],
  jobTitle: ["岗位", "职位", "job_title", "jobtitle"],
  employmentType: ["用工类型", "人员类型", "employment_type", "employmenttype"],
  jobCategories: ["岗位类别", "job_categories", "jobcategories"],
  phone: ["电话", "手机", "手机号", "联系电话", "phone", "mobile"],
  email: ["邮箱", "电子邮箱", "email", "e-mail"],
  idNumber: ["证件号码", "身份证号", "身份证号码", "id_number", "idnumber"],
  vendor: ["合作单位", "外包单位", "vendor", "vendor_name"],
  sponsorEmployeeNo: ["担保人工号", "责任人工号", "sponsor_employee_no", "sponsoremployeeno"],
  contractEndsOn: ["合同截止", "合同截止日期", "合同到期日", "contract_ends_on", "contractendson"],
};

/** Header text compared loosely: full-width folded, case, spaces, "*" and a "(必填)" / "(required)" note ignored. */
export function normaliseHeader(h: string): string {
  return h
    .normalize("NFKC")
    .replace(/[\u200B-\u200D\uFEFF]/g, "")
    .replace(/\(.*?\)/g, "")
    .replace(/[*\s]/g, "")
    .replace(/-/g, "_")
    .toLowerCase();
}

const HEADER_LOOKUP = new Map<string, ImportField>(
  IMPORT_FIELDS.flatMap((f) => HEADERS[f].map((h) => [normaliseHeader(h), f] as [string, ImportField])),
);

export type ImportError = { field: ImportField | "file"; code: string; params?: Record<string, string | number> };
export type ImportRow = { line: number; values: Partial<Record<ImportField, string>>; errors: ImportError[] };
export type ImportPreview = { fileName: string; rows: ImportRow[]; validCount: number; errorCount: number };

// Echoed values are for showing next to the errors: bounded, whatever the file held.
const SHOWN = 200;
const clip = (v: string) => (v.length > SHOWN ? `${v.slice(0, SHOWN)}…` : v);

const EMPLOYMENT_TYPES: Record<string, "EMPLOYEE" | "THIRD_PARTY"> = {
  员工: "EMPLOYEE",
  正式员工: "EMPLOYEE",
  自有员工: "EMPLOYEE",
  employee: "EMPLOYEE",
  第三方: "THIRD_PARTY",
  第三方人员: "THIRD_PARTY",
  third_party: "THIRD_PARTY",
  thirdparty: "THIRD_PARTY",
};

const CATEGORY_LOOKUP = new Map<string, JobCategoryCode>(
  JOB_CATEGORIES.flatMap(
    (c) =>
      [
        [c.toLowerCase(), c],
        [normaliseHeader(zh.staffAdmin.jobCategoryNames[c]), c],
        [normaliseHeader(en.staffAdmin.jobCategoryNames[c]), c],
      ] as [string, JobCategoryCode][],
  ),
);

/** "2027/6/30", "2027.6.30", "2027年6月30日" (what Chinese Excel writes into a CSV) as "2027-06-30". */
export function normaliseDate(v: string): string {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+0{1,2}:00(?::00)?)?$/.exec(v.trim());
  return m ? `${m[1]}-${m[2]!.padStart(2, "0")}-${m[3]!.padStart(2, "0")}` : v.trim();
}

// A spreadsheet formula typed as text; stored, it would run when someone opens an export elsewhere.
const FORMULA = /^[=+\-@\t\r]/;
// What Excel wrote into a CSV for a long number in a narrow "General" column.
const SCIENTIFIC = /^\d+(\.\d+)?e\+?\d+$/i;

type Parsed = {
  line: number;
  input: z.output<typeof CreatePersonInput> | null;
  row: ImportRow;
  orgCode: string;
  vendor: string;
  // The keys, when well-formed, checked for duplicates even on a row with other errors.
  employeeNo?: string;
  email?: string;
};

type Lookups = {
  orgs: Map<string, { id: string; path: string; isActive: boolean }>;
  vendors: Map<string, { id: string; name: string; isActive: boolean; contractStartsOn: Date; contractEndsOn: Date }>;
  people: { employeeNos: Set<string>; emails: Set<string> };
  sponsors: Map<string, { status: string; employmentType: string }>;
};

// Stands in for an id the database lookups will resolve (or report), so the schema checks the rest.
const PLACEHOLDER = "00000000-0000-4000-8000-000000000000";

function mapHeader(header: string[]): { columns: Map<number, ImportField>; errors: ImportError[] } {
  const columns = new Map<number, ImportField>();
  const errors: ImportError[] = [];
  const seen = new Set<ImportField>();
  header.forEach((h, i) => {
    const field = HEADER_LOOKUP.get(normaliseHeader(h));
    if (!field) return;
    if (seen.has(field)) errors.push({ field, code: "duplicate-column" });
    seen.add(field);
    columns.set(i, field);
  });
  for (const f of REQUIRED_COLUMNS) if (!seen.has(f)) errors.push({ field: f, code: "missing-column" });
  return { columns, errors };
}

function fieldOfIssue(path: PropertyKey | undefined): ImportField {
  if (path === "orgUnitId") return "orgCode";
  if (path === "vendorId") return "vendor";
  if (path === "sponsorId") return "sponsorEmployeeNo";
  return (IMPORT_FIELDS as readonly string[]).includes(String(path)) ? (path as ImportField) : "employeeNo";
}

function parseRow(line: number, cells: string[], columns: Map<number, ImportField>): Parsed {
  const v: Partial<Record<ImportField, string>> = {};
  for (const [i, f] of columns) v[f] = (cells[i] ?? "").trim();
  const errors: ImportError[] = [];
  const add = (field: ImportField, code: string, params?: ImportError["params"]) => {
    if (!errors.some((e) => e.field === field)) errors.push(params ? { field, code, params } : { field, code });
  };
  for (const f of ["name", "jobTitle"] as const) if (v[f] && FORMULA.test(v[f])) add(f, "formula");
  for (const f of ["employeeNo", "phone", "idNumber", "sponsorEmployeeNo"] as const)
    if (v[f] && SCIENTIFIC.test(v[f])) add(f, "scientific");

  const typeText = v.employmentType ?? "";
  const employmentType = typeText === "" ? "EMPLOYEE" : EMPLOYMENT_TYPES[normaliseHeader(typeText)];
  if (!employmentType) add("employmentType", "invalid");

  const jobCategories: JobCategoryCode[] = [];
  for (const token of (v.jobCategories ?? "")
    .split(/[;；、,，]/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const code = CATEGORY_LOOKUP.get(normaliseHeader(token));
    if (code) jobCategories.push(code);
    else add("jobCategories", "unknown-job-category", { value: clip(token).slice(0, 50) });
  }
  const orgCode = v.orgCode ?? "";
  const vendor = v.vendor ?? "";
  if (!orgCode) add("orgCode", "required");

  const parsed = CreatePersonInput.safeParse({
    employeeNo: v.employeeNo ?? "",
    name: v.name ?? "",
    orgUnitId: PLACEHOLDER,
    jobTitle: v.jobTitle ?? "",
    employmentType: employmentType ?? "EMPLOYEE",
    vendorId: vendor ? PLACEHOLDER : "",
    sponsorEmployeeNo: v.sponsorEmployeeNo ?? "",
    contractEndsOn: v.contractEndsOn ? normaliseDate(v.contractEndsOn) : "",
    phone: v.phone ?? "",
    email: v.email ?? "",
    idNumber: v.idNumber ?? "",
    jobCategories,
  });
  // Our messages are codes ("employee-no", "required"); zod's own (an enum mismatch) become "invalid".
  if (!parsed.success)
    for (const issue of parsed.error.issues)
      add(fieldOfIssue(issue.path[0]), /^[a-z][a-z-]*$/.test(issue.message) ? issue.message : "invalid");
  const values: ImportRow["values"] = {};
  for (const [f, s] of Object.entries(v)) values[f as ImportField] = clip(s);
  const employeeNo = v.employeeNo && EMPLOYEE_NO.test(v.employeeNo) ? v.employeeNo : undefined;
  const email = v.email && !errors.some((e) => e.field === "email") ? v.email.toLowerCase() : undefined;
  return {
    line,
    input: parsed.success && errors.length === 0 ? parsed.data : null,
    row: { line, values, errors },
    orgCode,
    vendor,
    employeeNo,
    email,
  };
}

async function lookUp(tx: Tx, parsed: Parsed[]): Promise<Lookups> {
  const uniqueOf = (xs: (string | undefined)[]) => [...new Set(xs.filter((x): x is string => !!x))];
  const orgCodes = uniqueOf(parsed.map((p) => p.orgCode));
  const vendorNames = uniqueOf(parsed.map((p) => p.vendor));
  const employeeNos = uniqueOf(parsed.map((p) => p.employeeNo));
  const emails = uniqueOf(parsed.map((p) => p.email));
  const sponsorNos = uniqueOf(parsed.map((p) => p.input?.sponsorEmployeeNo));
  // One after another: these run on the transaction's single connection (no concurrent queries on it).
  const orgs = orgCodes.length
    ? await tx.orgUnit.findMany({ where: { code: { in: orgCodes } }, select: { id: true, code: true, path: true, isActive: true } })
    : [];
  const vendors = vendorNames.length
    ? await tx.vendor.findMany({
        where: { name: { in: vendorNames } },
        select: { id: true, name: true, isActive: true, contractStartsOn: true, contractEndsOn: true },
      })
    : [];
  const clashes =
    employeeNos.length || emails.length
      ? await tx.person.findMany({
          where: { OR: [{ employeeNo: { in: employeeNos } }, { emailIndex: { in: emails.map(emailIndex) } }] },
          select: { employeeNo: true, emailIndex: true },
        })
      : [];
  const sponsors = sponsorNos.length
    ? await tx.person.findMany({
        where: { employeeNo: { in: sponsorNos } },
        select: { employeeNo: true, status: true, employmentType: true },
      })
    : [];
  return {
    orgs: new Map(orgs.map((o) => [o.code, o])),
    vendors: new Map(vendors.map((x) => [x.name, x])),
    people: { employeeNos: new Set(clashes.map((c) => c.employeeNo)), emails: takenEmails(emails, clashes) },
    sponsors: new Map(sponsors.map((s) => [s.employeeNo, s])),
  };
}

/** Which of these e-mail addresses the clashing people hold (found by blind index, lib/people/pii.ts). */
function takenEmails(emails: string[], clashes: { emailIndex: string | null }[]): Set<string> {
  const taken = new Set(clashes.map((c) => c.emailIndex));
  return new Set(emails.filter((e) => taken.has(emailIndex(e))));
}

type Validated = { preview: ImportPreview; inputs: z.output<typeof CreatePersonInput>[] };

async function validate(tx: Tx, table: Table, now: Date): Promise<Validated> {
  const fileName = table.fileName.slice(0, 255);
  const [header = [], ...body] = table.rows;
  const { columns, errors: headerErrors } = mapHeader(header);
  if (headerErrors.length)
    return { preview: { fileName, rows: [{ line: 1, values: {}, errors: headerErrors }], validCount: 0, errorCount: 1 }, inputs: [] };
  const parsed: Parsed[] = [];
  body.forEach((cells, i) => {
    if (cells.every((c) => c.trim() === "")) return;
    parsed.push(parseRow(i + 2, cells, columns));
  });
  if (parsed.length === 0)
    return {
      preview: { fileName, rows: [{ line: 1, values: {}, errors: [{ field: "file", code: "no-rows" }] }], validCount: 0, errorCount: 1 },
      inputs: [],
    };

  const found = await lookUp(tx, parsed);
  // Within the file: the first line holding a key, to name it on the others.
  const firstLine = { employeeNo: new Map<string, number>(), email: new Map<string, number>() };
  for (const p of parsed) {
    if (p.employeeNo && !firstLine.employeeNo.has(p.employeeNo)) firstLine.employeeNo.set(p.employeeNo, p.line);
    if (p.email && !firstLine.email.has(p.email)) firstLine.email.set(p.email, p.line);
  }
  const inFile = new Map(parsed.filter((p) => p.input).map((p) => [p.input!.employeeNo, p.input!]));

  for (const p of parsed) {
    const add = (field: ImportField, code: string, params?: ImportError["params"]) => {
      if (!p.row.errors.some((e) => e.field === field)) p.row.errors.push(params ? { field, code, params } : { field, code });
    };
    const org = p.orgCode ? found.orgs.get(p.orgCode) : undefined;
    if (p.orgCode && !org) add("orgCode", "unknown-org");
    else if (org && !org.isActive) add("orgCode", "ORG_UNIT_INACTIVE");
    const vendor = p.vendor ? found.vendors.get(p.vendor) : undefined;
    if (p.vendor && !vendor) add("vendor", "unknown-vendor");
    else if (vendor && !vendor.isActive) add("vendor", "vendor-inactive");
    if (p.employeeNo) {
      const first = firstLine.employeeNo.get(p.employeeNo);
      if (first !== undefined && first !== p.line) add("employeeNo", "duplicate-in-file", { line: first });
      else if (found.people.employeeNos.has(p.employeeNo)) add("employeeNo", "exists");
    }
    if (p.email) {
      const first = firstLine.email.get(p.email);
      if (first !== undefined && first !== p.line) add("email", "duplicate-in-file", { line: first });
      else if (found.people.emails.has(p.email)) add("email", "exists");
    }
    const input = p.input;
    if (!input) continue;
    if (input.employmentType === "THIRD_PARTY") {
      const no = input.sponsorEmployeeNo!;
      const stored = found.sponsors.get(no);
      const listed = inFile.get(no);
      if (no === input.employeeNo) add("sponsorEmployeeNo", "SPONSOR_NOT_ELIGIBLE");
      else if (stored) {
        if (stored.status !== "ACTIVE" || stored.employmentType !== "EMPLOYEE") add("sponsorEmployeeNo", "SPONSOR_NOT_ELIGIBLE");
      } else if (listed) {
        // A sponsor joining in the same file: created first (employees go before third parties).
        if (listed.employmentType !== "EMPLOYEE") add("sponsorEmployeeNo", "SPONSOR_NOT_ELIGIBLE");
      } else add("sponsorEmployeeNo", "unknown-sponsor");
      if (vendor?.isActive) {
        try {
          assertContractWithinVendor(vendor, input.contractEndsOn!, now);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          add("contractEndsOn", error.code, error.params);
        }
      }
    }
    if (p.row.errors.length === 0) {
      input.orgUnitId = org!.id;
      if (vendor) input.vendorId = vendor.id;
    }
  }
  const rows = parsed.map((p) => p.row);
  const errorCount = rows.filter((r) => r.errors.length).length;
  const inputs = errorCount ? [] : parsed.map((p) => p.input!);
  return { preview: { fileName, rows, validCount: rows.length - errorCount, errorCount }, inputs };
}

/** Every row checked, nothing written. */
export async function previewStaffImport(tx: Tx, actor: Actor, table: Table, opts: { now?: Date } = {}): Promise<ImportPreview> {
  assertCan(actor, "people:manage");
  return (await validate(tx, table, opts.now ?? new Date())).preview;
}

/** Thrown by commitStaffImport when any row is invalid; `preview` says which and why. */
export class ImportInvalidError extends DomainError {
  readonly preview: ImportPreview;
  constructor(preview: ImportPreview) {
    super("VALIDATION", { details: preview });
    this.preview = preview;
  }
}

/**
 * All or nothing: validated again (the database may have changed since the preview), then every
 * person created through createPerson in the caller's transaction, employees before third parties
 * (a sponsor may join in the same file), and one "people.imported" row on top of theirs.
 */
export async function commitStaffImport(
  tx: Tx,
  actor: Actor,
  table: Table,
  opts: { now?: Date } = {},
): Promise<{ created: number; preview: ImportPreview }> {
  assertCan(actor, "people:manage");
  const now = opts.now ?? new Date();
  const { preview, inputs } = await validate(tx, table, now);
  if (preview.errorCount > 0) throw new ImportInvalidError(preview);
  const ordered = [...inputs.filter((i) => i.employmentType === "EMPLOYEE"), ...inputs.filter((i) => i.employmentType === "THIRD_PARTY")];
  const created: { id: string; employeeNo: string }[] = [];
  for (const input of ordered) {
    const { person } = await createPerson(tx, actor, input, { now });
    created.push({ id: person.id, employeeNo: input.employeeNo });
  }
  // One bulk event on top of theirs, with an item per person created (issue 14 §3).
  await recordBulkAuditEvent(
    tx,
    actor,
    {
      action: "people.imported",
      summary: {
        fileName: preview.fileName,
        format: table.format,
        rows: ordered.length,
        employees: ordered.filter((i) => i.employmentType === "EMPLOYEE").length,
        thirdParties: ordered.filter((i) => i.employmentType === "THIRD_PARTY").length,
      },
    },
    created.map((c) => ({ kind: "person" as const, subjectId: c.id, personId: c.id, detail: { employeeNo: c.employeeNo } })),
  );
  return { created: ordered.length, preview };
}

/** A transaction long enough for createPerson on every row (the default 20 s suits one form). */
export function importTimeoutMs(table: Table): number {
  return 30_000 + table.rows.length * 25;
}
