import { z } from "zod";
import { decryptPii, PII_SELECT } from "@/lib/people/pii";
import { getDb, type Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { peopleWhere, type PeopleFilter } from "@/lib/people/queries";
import { maskEmail, maskIdNumber, maskPhone } from "@/lib/people/masking";
import { type JobCategoryCode } from "@/lib/people/schemas";
import zh from "@/messages/zh-CN.json";
import { HEADERS, IMPORT_FIELDS, type ImportField } from "./staff-import";
import { csvStream } from "@/lib/csv";
import { xlsxStream, type ExportFormat, type Pager } from "./system-export";
import { isoDay } from "@/lib/time/calendar-input";
import { text } from "@/lib/validation";

// Staff export (issue 3 item 11): the people list, with the list's filters and the actor's scope
// (HR and officers everyone, an approver their subtree), in the staff import's columns and Chinese
// headers, so an exported file re-imports. Personal data is masked (R15): full values never leave
// through an export. Streamed in keyset batches: memory stays flat.

const BATCH = 2000;
const EMPTY = (v: unknown) => (v === "" ? undefined : v);

/** The export's query: the list's filters, checked strictly (a bad value is a 400, not silently dropped). */
export const StaffExportQuery = z.object({
  format: z.enum(["csv", "xlsx"]),
  q: z.preprocess(EMPTY, text().trim().max(100).optional()),
  status: z.preprocess(EMPTY, z.enum(["ACTIVE", "SUSPENDED", "LEFT"]).optional()),
  type: z.preprocess(EMPTY, z.enum(["EMPLOYEE", "THIRD_PARTY"]).optional()),
  org: z.preprocess(EMPTY, text().uuid().optional()),
  vendor: z.preprocess(EMPTY, text().uuid().optional()),
  sort: z.preprocess(EMPTY, z.enum(["name", "employeeNo"]).default("name")),
});
export type StaffExportQuery = z.infer<typeof StaffExportQuery>;
export type StaffExportFilter = Omit<PeopleFilter, "cursor">;

export const STAFF_EXPORT_HEADER = IMPORT_FIELDS.map((f) => HEADERS[f][0]!);

const CATEGORY_NAME = zh.staffAdmin.jobCategoryNames as Record<JobCategoryCode, string>;
const TYPE_LABEL = { EMPLOYEE: "员工", THIRD_PARTY: "第三方" } as const;

type Cursor = { v: string; id: string };

function staffPager(actor: Actor, filter: StaffExportFilter): Pager {
  const sortKey = filter.sort;
  let base: Promise<Awaited<ReturnType<typeof peopleWhere>>> | null = null;
  return async (cursorText) => {
    base ??= peopleWhere(actor, filter);
    const where = [...(await base)];
    if (cursorText) {
      const c = JSON.parse(cursorText) as Cursor;
      where.push({ [sortKey]: { gte: c.v } }, { OR: [{ [sortKey]: { gt: c.v } }, { [sortKey]: c.v, id: { gt: c.id } }] });
    }
    const rows = await getDb().person.findMany({
      where: { AND: where },
      orderBy: [{ [sortKey]: "asc" }, { id: "asc" }],
      take: BATCH,
      select: {
        id: true,
        employeeNo: true,
        name: true,
        jobTitle: true,
        employmentType: true,
        jobCategories: true,
        ...PII_SELECT,
        vendorName: true,
        contractEndsOn: true,
        orgUnit: { select: { code: true } },
        vendor: { select: { name: true } },
        sponsor: { select: { employeeNo: true } },
      },
    });
    const cells = rows.map((p) => {
      const pii = decryptPii(p);
      const byField: Record<ImportField, string> = {
        employeeNo: p.employeeNo,
        name: p.name,
        orgCode: p.orgUnit.code,
        jobTitle: p.jobTitle,
        employmentType: TYPE_LABEL[p.employmentType],
        jobCategories: p.jobCategories.map((c) => CATEGORY_NAME[c] ?? c).join("、"),
        // Masked, always (R15): the export is a list, not a way round the reveal permission.
        phone: maskPhone(pii.phone),
        email: maskEmail(pii.email),
        idNumber: maskIdNumber(pii.idNumber),
        vendor: p.vendor?.name ?? p.vendorName ?? "",
        sponsorEmployeeNo: p.sponsor?.employeeNo ?? "",
        contractEndsOn: isoDay(p.contractEndsOn) ?? "",
      };
      return IMPORT_FIELDS.map((f) => byField[f]);
    });
    const last = rows[rows.length - 1];
    return { cells, next: rows.length === BATCH && last ? JSON.stringify({ v: last[sortKey], id: last.id } satisfies Cursor) : null };
  };
}

/** The export's stream; the caller has authorized and audited it (recordStaffExport). */
export function staffExportStream(actor: Actor, filter: StaffExportFilter, format: ExportFormat): ReadableStream<Uint8Array> {
  const pager = staffPager(actor, filter);
  return format === "csv" ? csvStream(STAFF_EXPORT_HEADER, pager) : xlsxStream("staff", STAFF_EXPORT_HEADER, pager);
}

/** Exporting the staff list is audited, with the filter and format; anyone who may read the list may. */
export async function recordStaffExport(tx: Tx, actor: Actor, filter: StaffExportFilter, format: ExportFormat): Promise<void> {
  assertCan(actor, "people:read");
  const used = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined && v !== ""));
  await recordAuditEvent(tx, actor, { action: "people.exported", summary: { filter: used, format } });
}
