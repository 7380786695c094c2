import type { Tx } from "@/lib/db";
import { Prisma } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { EMPLOYEE_NO } from "@/lib/people/schemas";
import { LOGIN_NAME } from "@/lib/grants/schemas";
import { optionalText } from "@/lib/validation";
import type { Table } from "./read-table";
import { parseDateTime } from "./wall-clock";
import { isUniqueViolationAnywhere, uuidv7 } from "./sql";
import {
  addError, dataRows, FORMULA, finishPreview, headerPreview, loadSystemFor, mapColumns, newRow, SCIENTIFIC, SystemImportInvalidError, uniqueOf,
  type SystemImportPreview, type SystemImportRow,
} from "./system-import";

// Slave-account import (issue 3 items 7 and 11), per business system, for its account administrators.
// A file is what the business system itself knows: each login name, whose it is (the owner's employee
// number; empty = not known, R2's orphan), its status and last login. Rows are checked set-wise (a
// handful of queries whatever the file's size); nothing is written unless every row is valid, and
// then all creates and updates are two set-based statements.
//
// Re-importing a file (last month's export, or a fresh listing from the business system) is safe:
//  - a login name the portal does not know is a new account;
//  - a login name it knows is that account: its status and last login are set from the file (a
//    row that changes nothing is "unchanged"); an empty status or last-login cell keeps what is stored;
//  - the owner is never silently changed: an empty owner cell keeps the stored owner, the same owner
//    is fine, a different one is a row error (moving an account to another person is not an import's
//    job; close it and create one). An ownerless (orphan) account may be given its owner by the file,
//    but only while it holds no live grant (those were never checked by the policy engine against
//    that person);
//  - a login name of a deleted account is refused (the name stays taken by its history);
//  - the basis of an existing account (why it was created) is kept; the row's basis goes into the audit.

export const ACCOUNT_FIELDS = ["loginName", "ownerEmployeeNo", "ownerName", "status", "lastLogin", "basis"] as const;
export type AccountField = (typeof ACCOUNT_FIELDS)[number];

/** The headers a column is recognised by (compared loosely), Chinese first: the template's and the export's. */
export const ACCOUNT_HEADERS: Record<AccountField, string[]> = {
  loginName: ["登录名", "帐号", "账号", "从帐号", "从账号", "用户名", "login_name", "loginname", "account"],
  ownerEmployeeNo: ["属主工号", "工号", "员工编号", "owner_employee_no", "ownerEmployeeNo", "employee_no"],
  // For people reading the file; the owner is the employee number.
  ownerName: ["姓名", "属主姓名", "owner_name", "name"],
  status: ["状态", "帐号状态", "账号状态", "status"],
  lastLogin: ["最后登录时间", "最后登录", "最近登录时间", "上次登录时间", "last_login", "last_login_at", "lastLogin"],
  basis: ["依据", "开户依据", "basis"],
};

export type ImportableStatus = "ACTIVE" | "LOCKED" | "DISABLED";

/** The Chinese labels (the export's), the codes and the words business systems use for each status. */
export const STATUS_WORDS: Record<ImportableStatus, string[]> = {
  ACTIVE: ["正常", "ACTIVE", "active", "启用", "已启用", "有效", "在用", "激活", "可用", "enabled"],
  LOCKED: ["锁定", "LOCKED", "locked", "已锁定", "冻结", "已冻结"],
  DISABLED: ["停用", "DISABLED", "disabled", "已停用", "禁用", "已禁用", "失效", "无效"],
};

const STATUS_LOOKUP = new Map<string, ImportableStatus>(
  (Object.entries(STATUS_WORDS) as [ImportableStatus, string[]][]).flatMap(([s, words]) => words.map((w) => [w.toLowerCase(), s] as [string, ImportableStatus])),
);

export function parseAccountStatus(text: string): ImportableStatus | null {
  return STATUS_LOOKUP.get(text.normalize("NFKC").trim().toLowerCase()) ?? null;
}

const Basis = optionalText(200);
// A last login more than this far in the future is a typo or a wrong time zone, not a login.
const FUTURE_SLACK_MS = 24 * 3_600_000;

type Parsed = {
  row: SystemImportRow;
  loginName?: string;
  ownerNo?: string;
  status?: ImportableStatus;
  lastLoginAt?: Date;
  basis?: string;
};

type Existing = { id: string; login_name: string; person_id: string | null; status: string; last_login_at: Date | null; live_grants: number };
type Owner = { id: string; employee_no: string; status: string };

type Plan =
  | { kind: "create"; line: number; id: string; loginName: string; personId: string | null; status: ImportableStatus; lastLoginAt: Date | null; basis: string | null }
  | {
      kind: "update"; line: number; id: string; loginName: string; basis: string | null;
      before: { personId: string | null; status: string; lastLoginAt: Date | null };
      after: { personId: string | null; status: string; lastLoginAt: Date | null };
    };

function parseRow(line: number, v: Partial<Record<AccountField, string>>, timeZone: string, now: Date): Parsed {
  const row = newRow(line, v);
  const p: Parsed = { row };
  const login = v.loginName ?? "";
  if (!login) addError(row, "loginName", "required");
  else if (!LOGIN_NAME.test(login)) addError(row, "loginName", "login-name");
  else p.loginName = login;

  const owner = v.ownerEmployeeNo ?? "";
  if (owner && SCIENTIFIC.test(owner)) addError(row, "ownerEmployeeNo", "scientific");
  else if (owner && !EMPLOYEE_NO.test(owner)) addError(row, "ownerEmployeeNo", "employee-no");
  else if (owner) p.ownerNo = owner;

  if (v.status) {
    const status = parseAccountStatus(v.status);
    if (status) p.status = status;
    else addError(row, "status", "invalid-status");
  }
  if (v.lastLogin) {
    const at = parseDateTime(v.lastLogin, timeZone);
    if (!at) addError(row, "lastLogin", "invalid-date-time");
    else if (at.getTime() > now.getTime() + FUTURE_SLACK_MS) addError(row, "lastLogin", "in-future");
    else p.lastLoginAt = at;
  }
  if (v.basis && FORMULA.test(v.basis)) addError(row, "basis", "formula");
  else {
    const basis = Basis.safeParse(v.basis ?? "");
    if (basis.success) p.basis = basis.data;
    else addError(row, "basis", basis.error.issues[0]?.message === "too-long" ? "too-long" : "invalid");
  }
  return p;
}

async function lookUp(tx: Tx, systemId: string, parsed: Parsed[], lock: boolean) {
  const logins = uniqueOf(parsed.map((p) => p.loginName));
  const ownerNos = uniqueOf(parsed.map((p) => p.ownerNo));
  // Accounts named by the file (locked when committing: the update is decided on what is read here).
  const existing = logins.length
    ? await tx.$queryRaw<Existing[]>`
        SELECT sa.id, sa.login_name, sa.person_id, sa.status::text AS status, sa.last_login_at,
               (SELECT count(*)::int FROM access_grant g WHERE g.slave_account_id = sa.id AND g.revoked_at IS NULL AND (g.ends_at IS NULL OR g.ends_at > now())) AS live_grants
        FROM slave_account sa
        WHERE sa.system_id = ${systemId}::uuid AND sa.login_name = ANY(${logins}::text[])
        ${lock ? Prisma.sql`FOR UPDATE OF sa` : Prisma.empty}`
    : [];
  const owners = ownerNos.length
    ? await tx.$queryRaw<Owner[]>`SELECT id, employee_no, status::text AS status FROM person WHERE employee_no = ANY(${ownerNos}::text[])`
    : [];
  // The live account each named owner already has in this system (R2: one per person per system).
  const ownerIds = owners.map((o) => o.id);
  const held = ownerIds.length
    ? await tx.$queryRaw<{ id: string; person_id: string; login_name: string }[]>`
        SELECT id, person_id, login_name FROM slave_account
        WHERE system_id = ${systemId}::uuid AND person_id = ANY(${ownerIds}::uuid[]) AND status <> 'DELETED'`
    : [];
  const ownersById = new Map(owners.map((o) => [o.id, o]));
  // Employee numbers of the current owners of the named accounts, to name them in an error.
  const currentOwnerIds = uniqueOf(existing.map((e) => e.person_id)).filter((id) => !ownersById.has(id));
  const currentOwners = currentOwnerIds.length
    ? await tx.$queryRaw<Owner[]>`SELECT id, employee_no, status::text AS status FROM person WHERE id = ANY(${currentOwnerIds}::uuid[])`
    : [];
  for (const o of currentOwners) ownersById.set(o.id, o);
  return {
    byLogin: new Map(existing.map((e) => [e.login_name, e])),
    ownerByNo: new Map(owners.map((o) => [o.employee_no, o])),
    ownerById: ownersById,
    heldByPerson: new Map(held.map((h) => [h.person_id, h])),
  };
}

async function validate(tx: Tx, systemId: string, table: Table, opts: { now: Date; timeZone: string; lock: boolean }): Promise<{ preview: SystemImportPreview; plans: Plan[] }> {
  const [header = []] = table.rows;
  const { columns, errors } = mapColumns(header, ACCOUNT_HEADERS, ["loginName", "ownerEmployeeNo"]);
  if (errors.length) return { preview: headerPreview("accounts", systemId, table, errors), plans: [] };
  const parsed = dataRows(table, columns).map(({ line, v }) => parseRow(line, v, opts.timeZone, opts.now));
  if (parsed.length === 0) return { preview: finishPreview("accounts", systemId, table, []), plans: [] };
  const found = await lookUp(tx, systemId, parsed, opts.lock);

  // Within the file: the first line holding a login name / an owner, to name it on the others.
  const firstLogin = new Map<string, number>();
  const firstOwner = new Map<string, number>();
  for (const p of parsed) {
    if (p.loginName && !firstLogin.has(p.loginName)) firstLogin.set(p.loginName, p.row.line);
    if (p.ownerNo && !firstOwner.has(p.ownerNo)) firstOwner.set(p.ownerNo, p.row.line);
  }
  // Accounts the file gives an owner to, so an owner's "other" account is not counted twice.
  const plans: Plan[] = [];
  for (const p of parsed) {
    const row = p.row;
    const add = (field: string, code: string, params?: Record<string, string | number>) => addError(row, field, code, params);
    if (p.loginName) {
      const first = firstLogin.get(p.loginName)!;
      if (first !== row.line) add("loginName", "duplicate-in-file", { line: first });
    }
    const owner = p.ownerNo ? found.ownerByNo.get(p.ownerNo) : undefined;
    if (p.ownerNo) {
      const first = firstOwner.get(p.ownerNo)!;
      if (first !== row.line) add("ownerEmployeeNo", "duplicate-in-file", { line: first });
      else if (!owner) add("ownerEmployeeNo", "unknown-person");
    }
    if (!p.loginName || row.errors.length) continue;

    const existing = found.byLogin.get(p.loginName);
    if (existing?.status === "DELETED") {
      add("loginName", "deleted-account");
      continue;
    }
    if (owner && existing?.person_id && existing.person_id !== owner.id) {
      add("ownerEmployeeNo", "owner-differs", { owner: found.ownerById.get(existing.person_id)?.employee_no ?? "?" });
      continue;
    }
    // The owner's other live account in this system, if any (R2).
    const other = owner ? found.heldByPerson.get(owner.id) : undefined;
    if (owner && other && other.id !== existing?.id) {
      add("ownerEmployeeNo", "person-has-account", { login: other.login_name });
      continue;
    }
    const basis = p.basis ?? null;
    if (!existing) {
      const personId = owner?.id ?? null;
      if (!owner) row.notes.push({ field: "ownerEmployeeNo", code: "orphan-unknown-owner" });
      else if (owner.status === "LEFT") row.notes.push({ field: "ownerEmployeeNo", code: "orphan-owner-left" });
      row.action = "create";
      plans.push({ kind: "create", line: row.line, id: uuidv7(), loginName: p.loginName, personId, status: p.status ?? "ACTIVE", lastLoginAt: p.lastLoginAt ?? null, basis });
      continue;
    }
    let personId = existing.person_id;
    if (owner && !existing.person_id) {
      if (existing.live_grants > 0) {
        add("ownerEmployeeNo", "orphan-has-grants", { count: existing.live_grants });
        continue;
      }
      personId = owner.id;
    }
    const before = { personId: existing.person_id, status: existing.status, lastLoginAt: existing.last_login_at };
    const after = { personId, status: p.status ?? existing.status, lastLoginAt: p.lastLoginAt ?? existing.last_login_at };
    const currentOwner = personId ? (owner ?? found.ownerById.get(personId)) : undefined;
    if (!personId) row.notes.push({ field: "ownerEmployeeNo", code: "orphan-unknown-owner" });
    else if (currentOwner?.status === "LEFT") row.notes.push({ field: "ownerEmployeeNo", code: "orphan-owner-left" });
    const changed = before.personId !== after.personId || before.status !== after.status || before.lastLoginAt?.getTime() !== after.lastLoginAt?.getTime();
    row.action = changed ? "update" : "unchanged";
    if (changed) plans.push({ kind: "update", line: row.line, id: existing.id, loginName: p.loginName, basis, before, after });
  }
  const preview = finishPreview("accounts", systemId, table, parsed.map((p) => p.row));
  return { preview, plans: preview.errorCount ? [] : plans };
}

export type AccountImportInput = { systemId: string; table: Table };
export type ImportOptions = { now?: Date; timeZone?: string };

const zoneOf = (opts: ImportOptions) => opts.timeZone ?? process.env.APP_TIME_ZONE ?? "Asia/Shanghai";

/** Every row checked, nothing written. */
export async function previewAccountImport(tx: Tx, actor: Actor, input: AccountImportInput, opts: ImportOptions = {}): Promise<SystemImportPreview> {
  await loadSystemFor(tx, actor, input.systemId);
  return (await validate(tx, input.systemId, input.table, { now: opts.now ?? new Date(), timeZone: zoneOf(opts), lock: false })).preview;
}

// Audit rows name the accounts they changed; a big file writes one per this many (decision 0003:
// bulk work writes a row per batch, not one per item).
const AUDIT_BATCH = 1000;

/**
 * All or nothing: checked again (the database may have changed since the preview) with the named
 * accounts locked, then one INSERT for the new accounts and one UPDATE for the changed ones, and
 * "slave-account.imported" audit rows naming every account with its before/after.
 */
export async function commitAccountImport(
  tx: Tx,
  actor: Actor,
  input: AccountImportInput,
  opts: ImportOptions = {},
): Promise<{ created: number; updated: number; unchanged: number; preview: SystemImportPreview }> {
  const system = await loadSystemFor(tx, actor, input.systemId);
  const now = opts.now ?? new Date();
  const { preview, plans } = await validate(tx, system.id, input.table, { now, timeZone: zoneOf(opts), lock: true });
  if (preview.errorCount > 0) throw new SystemImportInvalidError(preview);
  const creates = plans.filter((p): p is Extract<Plan, { kind: "create" }> => p.kind === "create");
  const updates = plans.filter((p): p is Extract<Plan, { kind: "update" }> => p.kind === "update");
  const actorId = actor.kind === "person" ? actor.personId : null;
  try {
    if (creates.length)
      await tx.$executeRaw`
        INSERT INTO slave_account (id, system_id, person_id, login_name, status, basis, created_by_id, last_login_at, created_at, updated_at)
        SELECT v.id, ${system.id}::uuid, v.person_id, v.login_name, v.status::"SlaveAccountStatus", v.basis, ${actorId}::uuid, v.last_login_at, ${now}, ${now}
        FROM unnest(${creates.map((c) => c.id)}::uuid[], ${creates.map((c) => c.personId)}::uuid[], ${creates.map((c) => c.loginName)}::text[],
                    ${creates.map((c) => c.status)}::text[], ${creates.map((c) => c.basis)}::text[], ${creates.map((c) => c.lastLoginAt)}::timestamptz[])
             AS v(id, person_id, login_name, status, basis, last_login_at)`;
    if (updates.length)
      await tx.$executeRaw`
        UPDATE slave_account sa
        SET person_id = v.person_id, status = v.status::"SlaveAccountStatus", last_login_at = v.last_login_at, updated_at = ${now}
        FROM unnest(${updates.map((u) => u.id)}::uuid[], ${updates.map((u) => u.after.personId)}::uuid[], ${updates.map((u) => u.after.status)}::text[],
                    ${updates.map((u) => u.after.lastLoginAt)}::timestamptz[])
             AS v(id, person_id, status, last_login_at)
        WHERE sa.id = v.id AND sa.system_id = ${system.id}::uuid`;
  } catch (error) {
    // A login name or a person's account in this system taken since the check, by someone else.
    if (isUniqueViolationAnywhere(error)) throw new DomainError("CONFLICT", { field: "file" });
    throw error;
  }
  const counts = { created: creates.length, updated: updates.length, unchanged: preview.counts.unchanged ?? 0 };
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const parts = Math.max(1, Math.ceil(plans.length / AUDIT_BATCH));
  for (let part = 0; part < parts; part++) {
    const batch = plans.slice(part * AUDIT_BATCH, (part + 1) * AUDIT_BATCH);
    await recordAuditEvent(tx, actor, {
      action: "slave-account.imported",
      target: { type: "system", id: system.id },
      summary: {
        fileName: preview.fileName,
        format: input.table.format,
        rows: preview.rows.length,
        ...counts,
        part: part + 1,
        parts,
        accounts: batch.map((p) =>
          p.kind === "create"
            ? { id: p.id, line: p.line, loginName: p.loginName, change: "created", after: { personId: p.personId, status: p.status, lastLoginAt: iso(p.lastLoginAt), basis: p.basis } }
            : {
                id: p.id, line: p.line, loginName: p.loginName, change: "updated", basis: p.basis,
                before: { ...p.before, lastLoginAt: iso(p.before.lastLoginAt) }, after: { ...p.after, lastLoginAt: iso(p.after.lastLoginAt) },
              },
        ),
      },
    });
  }
  return { ...counts, preview };
}
