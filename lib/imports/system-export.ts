import { once } from "node:events";
import { APP_TIME_ZONE, dayIn } from "@/lib/time/calendar";
import { PassThrough, Readable } from "node:stream";
import ExcelJS from "exceljs";
import { getDb, type Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { csvStream, csvText } from "@/lib/csv";
import { log } from "@/lib/log";
import zh from "@/messages/zh-CN.json";
import { ACCOUNT_FIELDS, ACCOUNT_HEADERS, type AccountField } from "./account-import";
import { GRANT_FIELDS, GRANT_HEADERS, type GrantField } from "./grant-import";
import { LAST_LOGIN_FIELDS, LAST_LOGIN_HEADERS } from "./last-login-import";
import { loadSystemFor, type SystemImportKind } from "./system-import";
import { formatDateTime } from "./wall-clock";

// Exports of a system's slave accounts and live grants (CSV: UTF-8 with BOM, formula-neutralised
// cells; XLSX: every cell a string), in the columns the imports read, with the same headers, so a file
// exported, edited and imported again round-trips. Streamed in keyset batches: memory stays flat.

export type ExportWhat = "accounts" | "grants";
export type ExportFormat = "csv" | "xlsx";

const BATCH = 1000;
const STATUS_LABEL = zh.catalog.slaveStatuses as Record<string, string>;

const header = <F extends string>(fields: readonly F[], headers: Record<F, string[]>) => fields.map((f) => headers[f][0]!);

export const ACCOUNT_EXPORT_HEADER = header<AccountField>(ACCOUNT_FIELDS, ACCOUNT_HEADERS);
export const GRANT_EXPORT_HEADER = header<GrantField>(GRANT_FIELDS, GRANT_HEADERS);

type AccountRow = {
  login_name: string;
  employee_no: string | null;
  name: string | null;
  status: string;
  last_login_at: Date | null;
  basis: string | null;
};
type GrantRow = {
  id: string;
  employee_no: string | null;
  name: string | null;
  login_name: string;
  role_code: string;
  role_name: string;
  ends_at: Date | null;
  reason: string;
  basis: string | null;
};

/** One batch of rows after the cursor; null cursor: the first. Returns the rows as cells and the next cursor. */
export type Pager = (cursor: string | null) => Promise<{ cells: string[][]; next: string | null }>;

function accountPager(systemId: string): Pager {
  const tz = APP_TIME_ZONE;
  return async (cursor) => {
    const rows = await getDb().$queryRaw<AccountRow[]>`
      SELECT sa.login_name, p.employee_no, p.name, sa.status::text AS status, sa.last_login_at, sa.basis
      FROM slave_account sa LEFT JOIN person p ON p.id = sa.person_id
      WHERE sa.system_id = ${systemId}::uuid AND sa.status <> 'DELETED' AND (${cursor}::text IS NULL OR sa.login_name > ${cursor}::text)
      ORDER BY sa.login_name LIMIT ${BATCH}`;
    const cells = rows.map((r) => {
      const byField: Record<AccountField, string> = {
        loginName: r.login_name,
        ownerEmployeeNo: r.employee_no ?? "",
        ownerName: r.name ?? "",
        status: STATUS_LABEL[r.status] ?? r.status,
        lastLogin: r.last_login_at ? formatDateTime(r.last_login_at, tz) : "",
        basis: r.basis ?? "",
      };
      return ACCOUNT_FIELDS.map((f) => byField[f]);
    });
    return { cells, next: rows.length === BATCH ? rows[rows.length - 1]!.login_name : null };
  };
}

function grantPager(systemId: string, now: Date): Pager {
  return async (cursor) => {
    const rows = await getDb().$queryRaw<GrantRow[]>`
      SELECT g.id, p.employee_no, p.name, sa.login_name, r.code AS role_code, r.name AS role_name, g.ends_at, g.reason, g.basis
      FROM access_grant g
      JOIN slave_account sa ON sa.id = g.slave_account_id
      JOIN job_role r ON r.id = g.role_id
      LEFT JOIN person p ON p.id = sa.person_id
      WHERE sa.system_id = ${systemId}::uuid AND g.revoked_at IS NULL AND (g.ends_at IS NULL OR g.ends_at > ${now})
        AND (${cursor}::uuid IS NULL OR g.id > ${cursor}::uuid)
      ORDER BY g.id LIMIT ${BATCH}`;
    const cells = rows.map((r) => {
      const byField: Record<GrantField, string> = {
        employeeNo: r.employee_no ?? "",
        name: r.name ?? "",
        loginName: r.login_name,
        roleCode: r.role_code,
        roleName: r.role_name,
        // The day the grant runs to (the person page and the import end a grant at the end of that day, UTC).
        endsOn: r.ends_at ? dayIn(r.ends_at, APP_TIME_ZONE) : "",
        reason: r.reason,
        basis: r.basis ?? "",
      };
      return GRANT_FIELDS.map((f) => byField[f]);
    });
    return { cells, next: rows.length === BATCH ? rows[rows.length - 1]!.id : null };
  };
}

export function xlsxStream(sheetName: string, head: string[], pager: Pager): ReadableStream<Uint8Array> {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName);
  void (async () => {
    try {
      sheet.addRow(head).commit();
      let cursor: string | null = null;
      do {
        const page = await pager(cursor);
        // Strings only: never a formula, employee numbers keep their zeros, dates stay as written.
        for (const cells of page.cells) sheet.addRow(cells).commit();
        if (out.writableNeedDrain) await once(out, "drain");
        cursor = page.next;
      } while (cursor);
      sheet.commit();
      await workbook.commit();
    } catch (error) {
      log.error({ err: error, sheet: sheetName }, "export failed");
      out.destroy(error instanceof Error ? error : new Error("system export failed"));
    }
  })();
  return Readable.toWeb(out) as unknown as ReadableStream<Uint8Array>;
}

/** The export's stream; the caller has authorized and audited it (recordSystemExport). */
export function systemExportStream(systemId: string, what: ExportWhat, format: ExportFormat, now = new Date()): ReadableStream<Uint8Array> {
  const head = what === "accounts" ? ACCOUNT_EXPORT_HEADER : GRANT_EXPORT_HEADER;
  const pager = what === "accounts" ? accountPager(systemId) : grantPager(systemId, now);
  return format === "csv" ? csvStream(head, pager) : xlsxStream(what, head, pager);
}

/**
 * Exporting who has which account or role in a system is audited; only its account administrators
 * may. Returns the system (its code names the file).
 */
export async function recordSystemExport(tx: Tx, actor: Actor, input: { systemId: string; what: ExportWhat; format: ExportFormat }) {
  const system = await loadSystemFor(tx, actor, input.systemId, { mustBeActive: false });
  await recordAuditEvent(tx, actor, {
    action: input.what === "accounts" ? "slave-account.exported" : "grant.exported",
    target: { type: "system", id: system.id },
    summary: { format: input.format },
  });
  return system;
}

// Templates: the header the import reads and example rows (Chinese, as the operators' staff write them).
const EXAMPLES: Record<SystemImportKind, { header: string[]; rows: string[][] }> = {
  accounts: {
    header: ACCOUNT_EXPORT_HEADER,
    rows: [
      ["wangjg", "E00123", "王建国", "正常", "2025/11/3 8:05", "工单 ITSM-2025-0042"],
      ["legacy_ops", "", "", "停用", "", "系统盘点"],
    ],
  },
  grants: {
    header: GRANT_EXPORT_HEADER,
    rows: [["E00123", "王建国", "wangjg", "QUERY", "客户信息查询", "2027-06-30", "岗位需要：客户服务", "工单 ITSM-2025-0042"]],
  },
  "last-login": {
    header: LAST_LOGIN_FIELDS.map((f) => LAST_LOGIN_HEADERS[f][0]!),
    rows: [
      ["wangjg", "2025/11/3 8:05"],
      ["lihua", "2025-11-02 17:45:10"],
    ],
  },
};

/** A template as CSV text: UTF-8 with BOM, so Excel shows the Chinese. */
export function templateCsv(kind: SystemImportKind): string {
  const t = EXAMPLES[kind];
  return csvText(t.header, t.rows);
}
