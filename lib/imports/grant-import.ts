import { ZodError } from "zod";
import type { Tx } from "@/lib/db";
import { endOfDay } from "@/lib/time/calendar";
import type { Actor } from "@/lib/authz/actor";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { createGrantsInBatch } from "@/lib/grants/create-grants-in-batch";
import { LOGIN_NAME } from "@/lib/grants/schemas";
import { EMPLOYEE_NO } from "@/lib/people/schemas";
import { optionalText, ReasonInput } from "@/lib/validation";
import { ITEM_CODE } from "@/lib/systems/schemas";
import type { Table } from "./read-table";
import { parseDay } from "./wall-clock";
import {
  addError,
  dataRows,
  FORMULA,
  finishPreview,
  headerPreview,
  loadSystemFor,
  mapColumns,
  newRow,
  SCIENTIFIC,
  SystemImportInvalidError,
  uniqueOf,
  type RowError,
  type SystemImportPreview,
  type SystemImportRow,
} from "./system-import";

// Grant import (issue 3 item 11), per business system, for its account administrators. Every row gets
// the verdict the person page's grantRole would give it (the request duration rules, the policy engine
// on R1, R2, R4, R6, R10 and the catalogue's rules, R14's administrator roles, an inactive account, a
// login taken), judged in file order on the data as the rows above it leave it: two rows that together
// break a rule (an SoD pair for one person) are caught on the second. The mechanics are set-based
// (lib/grants/create-grants-in-batch.ts, decision 0015): the named people locked at once, their policy
// facts loaded in a few queries, the accepted rows written with one insert per table and one audit row
// per 1,000 grants. The preview does the same and rolls it all back; the commit keeps it only when no
// row was refused.
//
// A row whose role the person already holds (live) is "unchanged": re-importing an export of the
// system's grants changes nothing. Its end date is not changed by the import.

export const GRANT_FIELDS = ["employeeNo", "name", "loginName", "roleCode", "roleName", "endsOn", "reason", "basis"] as const;
export type GrantField = (typeof GRANT_FIELDS)[number];

export const GRANT_HEADERS: Record<GrantField, string[]> = {
  employeeNo: ["工号", "员工编号", "employee_no", "employeeNo"],
  // For people reading the file; the person is the employee number (or the login name).
  name: ["姓名", "name"],
  loginName: ["登录名", "帐号", "账号", "从帐号", "从账号", "login_name", "loginName"],
  roleCode: ["角色编码", "岗位角色编码", "角色代码", "role_code", "roleCode"],
  roleName: ["角色名称", "岗位角色", "role_name", "roleName"],
  endsOn: ["截止日期", "结束日期", "到期日", "有效期至", "ends_on", "endsOn", "end_date"],
  reason: ["原因", "授权原因", "理由", "reason"],
  basis: ["依据", "授权依据", "basis"],
};

const Basis = optionalText(200);

/**
 * Rows per grant file. The rows are judged in memory and written set-based, the audit rows last
 * (decision 0015): 20,000 rows (10,000 people, two roles each, 5,000 new accounts, a connected system)
 * preview in 13 s and commit in 12 s (~1,600 rows/s) on the shared 2-CPU machine, with the audit
 * chain's lock (decision 0003) held for ~0.7 s of it (`npm run bench:grant-import`, docs/benchmarks.md).
 * Most of the rest is the 25,000 provisioning outbox rows. Bigger migrations are split.
 */
export const GRANT_IMPORT_MAX_ROWS = 20_000;

type Parsed = {
  row: SystemImportRow;
  employeeNo?: string;
  loginName?: string;
  roleCode?: string;
  endsOn?: string;
  reason?: string;
  basis?: string;
};

type Resolved = {
  row: SystemImportRow;
  personId: string;
  roleId: string;
  loginName?: string;
  endsAt?: Date;
  reason: string;
  basis?: string;
};

function parseRow(line: number, v: Partial<Record<GrantField, string>>): Parsed {
  const row = newRow(line, v);
  const p: Parsed = { row };
  const no = v.employeeNo ?? "";
  if (no && SCIENTIFIC.test(no)) addError(row, "employeeNo", "scientific");
  else if (no && !EMPLOYEE_NO.test(no)) addError(row, "employeeNo", "employee-no");
  else if (no) p.employeeNo = no;
  const login = v.loginName ?? "";
  if (login && !LOGIN_NAME.test(login)) addError(row, "loginName", "login-name");
  else if (login) p.loginName = login;
  if (!no && !login) addError(row, "employeeNo", "person-required");

  // Role codes are kept in capitals (the catalogue's rule), so "query" finds QUERY.
  const role = (v.roleCode ?? "").normalize("NFKC").toUpperCase();
  if (!role) addError(row, "roleCode", "required");
  else if (!ITEM_CODE.test(role)) addError(row, "roleCode", "unknown-role");
  else p.roleCode = role;

  if (v.endsOn) {
    const day = parseDay(v.endsOn);
    if (day) p.endsOn = day;
    else addError(row, "endsOn", "invalid-date");
  }
  for (const f of ["reason", "basis"] as const) if (v[f] && FORMULA.test(v[f])) addError(row, f, "formula");
  const reason = ReasonInput.safeParse(v.reason ?? "");
  if (reason.success) p.reason = reason.data;
  else addError(row, "reason", codeOf(reason.error));
  const basis = Basis.safeParse(v.basis ?? "");
  if (basis.success) p.basis = basis.data;
  else addError(row, "basis", codeOf(basis.error));
  return p;
}

function codeOf(error: ZodError): string {
  const m = error.issues[0]?.message ?? "";
  return /^[a-z][a-z-]*$/.test(m) ? m : "invalid";
}

async function lookUp(tx: Tx, systemId: string, parsed: Parsed[]) {
  const nos = uniqueOf(parsed.map((p) => p.employeeNo));
  const logins = uniqueOf(parsed.map((p) => p.loginName));
  const codes = uniqueOf(parsed.map((p) => p.roleCode));
  const people = nos.length
    ? await tx.$queryRaw<{ id: string; employee_no: string }[]>`SELECT id, employee_no FROM person WHERE employee_no = ANY(${nos}::text[])`
    : [];
  const personIds = people.map((p) => p.id);
  // The system's accounts named by login or held by a named person.
  const accounts =
    logins.length || personIds.length
      ? await tx.$queryRaw<{ id: string; login_name: string; person_id: string | null; status: string }[]>`
          SELECT id, login_name, person_id, status::text AS status FROM slave_account
          WHERE system_id = ${systemId}::uuid AND (login_name = ANY(${logins}::text[]) OR (person_id = ANY(${personIds}::uuid[]) AND status <> 'DELETED'))`
      : [];
  const roles = codes.length
    ? await tx.$queryRaw<
        { id: string; code: string; is_active: boolean }[]
      >`SELECT id, code, is_active FROM job_role WHERE system_id = ${systemId}::uuid AND code = ANY(${codes}::text[])`
    : [];
  // Live grants on those accounts: a row whose role its account already holds changes nothing.
  const accountIds = accounts.filter((a) => a.status !== "DELETED").map((a) => a.id);
  const held = accountIds.length
    ? await tx.$queryRaw<{ slave_account_id: string; role_id: string }[]>`
        SELECT slave_account_id, role_id FROM access_grant
        WHERE slave_account_id = ANY(${accountIds}::uuid[]) AND revoked_at IS NULL AND (ends_at IS NULL OR ends_at > now())`
    : [];
  return {
    personByNo: new Map(people.map((p) => [p.employee_no, p.id])),
    accountByLogin: new Map(accounts.map((a) => [a.login_name, a])),
    liveAccountByPerson: new Map(accounts.filter((a) => a.person_id && a.status !== "DELETED").map((a) => [a.person_id!, a])),
    roleByCode: new Map(roles.map((r) => [r.code, r])),
    held: new Set(held.map((h) => `${h.slave_account_id}|${h.role_id}`)),
  };
}

const FIELD_OF: Record<string, string> = {
  personId: "employeeNo",
  roleId: "roleCode",
  loginName: "loginName",
  endsAt: "endsOn",
  reason: "reason",
  basis: "basis",
};

/** What grantRole refused, as row errors: every policy violation with its parameters, or the one code. */
function refusal(error: unknown): RowError[] | null {
  if (error instanceof DomainError) {
    if (error.code === "POLICY_VIOLATION" && Array.isArray(error.details))
      return (error.details as { code: string; params: Record<string, string> }[]).map((v) => ({
        field: "roleCode",
        code: v.code,
        params: v.params,
      }));
    const field = error.field ? (FIELD_OF[error.field] ?? "roleCode") : "roleCode";
    const code = error.code === "ALREADY_EXISTS" ? (error.field === "loginName" ? "login-taken" : "already-held") : error.code;
    return [{ field, code, params: error.params }];
  }
  if (error instanceof ZodError)
    return error.issues.map((i) => ({
      field: FIELD_OF[String(i.path[0])] ?? "roleCode",
      code: /^[a-z][a-z-]*$/.test(i.message) ? i.message : "invalid",
    }));
  return null;
}

type Options = { now?: Date; maxRows?: number };

async function validate(
  tx: Tx,
  actor: Actor,
  systemId: string,
  table: Table,
  opts: Options,
): Promise<{ preview: SystemImportPreview; granted: string[] }> {
  const now = opts.now ?? new Date();
  const [header = []] = table.rows;
  const { columns, errors } = mapColumns(header, GRANT_HEADERS, ["roleCode", "reason"], ["employeeNo", "loginName"]);
  if (errors.length) return { preview: headerPreview("grants", systemId, table, errors), granted: [] };
  const rows = dataRows(table, columns);
  const max = opts.maxRows ?? GRANT_IMPORT_MAX_ROWS;
  if (rows.length > max)
    return {
      preview: headerPreview("grants", systemId, table, [
        { field: "file", code: "too-many-grant-rows", params: { max, count: rows.length } },
      ]),
      granted: [],
    };
  const parsed = rows.map(({ line, v }) => parseRow(line, v));
  if (parsed.length === 0) return { preview: finishPreview("grants", systemId, table, []), granted: [] };
  const found = await lookUp(tx, systemId, parsed);

  const firstOfPair = new Map<string, number>();
  // The login a person without an account in this system gets, as the first row naming one said.
  const newLogin = new Map<string, { login: string; line: number }>();
  const toGrant: Resolved[] = [];
  for (const p of parsed) {
    const row = p.row;
    const add = (field: string, code: string, params?: Record<string, string | number>) => addError(row, field, code, params);
    let personId: string | undefined;
    // The account the grant will sit on, when there is one already.
    let account: { id: string; login_name: string; person_id: string | null } | undefined;
    let orphan = false;
    if (p.employeeNo) {
      personId = found.personByNo.get(p.employeeNo);
      if (!personId) add("employeeNo", "unknown-person");
      else account = found.liveAccountByPerson.get(personId);
    } else if (p.loginName) {
      const named = found.accountByLogin.get(p.loginName);
      if (!named || named.status === "DELETED") add("loginName", "unknown-login");
      else {
        account = named;
        if (named.person_id) personId = named.person_id;
        else orphan = true;
      }
    }
    if (personId && p.employeeNo && p.loginName) {
      const named = found.accountByLogin.get(p.loginName);
      if (account && account.login_name !== p.loginName) add("loginName", "login-mismatch", { login: account.login_name });
      else if (!account && named) add("loginName", "login-taken");
      else if (!account) {
        const first = newLogin.get(personId);
        if (first && first.login !== p.loginName) add("loginName", "login-mismatch", { login: first.login });
        else if (!first) newLogin.set(personId, { login: p.loginName, line: row.line });
      }
    }
    const role = p.roleCode ? found.roleByCode.get(p.roleCode) : undefined;
    if (p.roleCode && !role) add("roleCode", "unknown-role");
    else if (role && !role.is_active) add("roleCode", "role-inactive");
    let endsAt: Date | undefined;
    if (p.endsOn) {
      // As the person page's form: the grant runs to the end of that day.
      endsAt = endOfDay(p.endsOn);
      if (endsAt <= now) add("endsOn", "date-in-past");
    }
    if (!role || row.errors.length || (!personId && !orphan)) continue;
    const pair = `${personId ?? account!.id}|${role.id}`;
    const first = firstOfPair.get(pair);
    if (first !== undefined) {
      add("roleCode", "duplicate-in-file", { line: first });
      continue;
    }
    firstOfPair.set(pair, row.line);
    if (account && found.held.has(`${account.id}|${role.id}`)) {
      row.action = "unchanged";
      row.notes.push({ field: "roleCode", code: "already-held" });
      continue;
    }
    // Access is never granted on an account nobody owns (R2).
    if (!personId) {
      add("loginName", "orphan-account");
      continue;
    }
    // A person without an account here gets the login the file names (else grantRole's default).
    const loginName = p.loginName && !found.liveAccountByPerson.has(personId) ? (newLogin.get(personId)?.login ?? p.loginName) : undefined;
    toGrant.push({ row, personId, roleId: role.id, loginName, endsAt, reason: p.reason!, basis: p.basis });
  }

  // The policy engine, row by row in file order, on the data as the rows above left it; then the
  // accepted rows written set-based (lib/grants/create-grants-in-batch.ts).
  const granted: string[] = [];
  const outcomes = await createGrantsInBatch(
    tx,
    actor,
    systemId,
    toGrant.map((r) => ({
      personId: r.personId,
      roleId: r.roleId,
      loginName: r.loginName,
      endsAt: r.endsAt,
      reason: r.reason,
      basis: r.basis,
    })),
    now,
  );
  for (const [i, outcome] of outcomes.entries()) {
    const r = toGrant[i]!;
    if ("error" in outcome) r.row.errors.push(...refusal(outcome.error)!);
    else {
      r.row.action = "grant";
      granted.push(outcome.grantId);
    }
  }
  return {
    preview: finishPreview(
      "grants",
      systemId,
      table,
      parsed.map((p) => p.row),
    ),
    granted,
  };
}

export type GrantImportInput = { systemId: string; table: Table };

/**
 * Every row checked, the policy engine included, and nothing kept: the grants are made under a
 * savepoint and rolled back, so rows that conflict with each other are found as the commit would.
 */
export async function previewGrantImport(tx: Tx, actor: Actor, input: GrantImportInput, opts: Options = {}): Promise<SystemImportPreview> {
  await loadSystemFor(tx, actor, input.systemId);
  await tx.$executeRawUnsafe("SAVEPOINT grant_import_preview");
  try {
    return (await validate(tx, actor, input.systemId, input.table, opts)).preview;
  } finally {
    await tx.$executeRawUnsafe("ROLLBACK TO SAVEPOINT grant_import_preview");
    await tx.$executeRawUnsafe("RELEASE SAVEPOINT grant_import_preview");
  }
}

/**
 * All or nothing: every row granted (audit: grant.created and slave-account.created rows naming up to
 * 1,000 grants or accounts each) and one "grant.imported" row for the file; if any row is refused, the
 * error rolls the caller's transaction back with its report.
 */
export async function commitGrantImport(
  tx: Tx,
  actor: Actor,
  input: GrantImportInput,
  opts: Options = {},
): Promise<{ granted: number; unchanged: number; preview: SystemImportPreview }> {
  const system = await loadSystemFor(tx, actor, input.systemId);
  const { preview, granted } = await validate(tx, actor, system.id, input.table, opts);
  if (preview.errorCount > 0) throw new SystemImportInvalidError(preview);
  const unchanged = preview.counts.unchanged ?? 0;
  // The grants and accounts are named in their batch rows (same request id); this one says they came from a file.
  await recordAuditEvent(tx, actor, {
    action: "grant.imported",
    target: { type: "system", id: system.id },
    summary: { fileName: preview.fileName, format: input.table.format, rows: preview.rows.length, granted: granted.length, unchanged },
  });
  return { granted: granted.length, unchanged, preview };
}
