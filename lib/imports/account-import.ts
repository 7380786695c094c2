import type { Tx } from "@/lib/db";
import { APP_TIME_ZONE } from "@/lib/time/calendar";
import type { Actor } from "@/lib/authz/actor";
import { DomainError } from "@/lib/errors";
import { recordBulkAuditEvent } from "@/lib/audit/record-audit-event";
import { assignSlaveAccountOwner } from "@/lib/slave-accounts/assign-slave-account-owner";
import { changeSlaveAccountStatus } from "@/lib/slave-accounts/change-slave-account-status";
import type { SlaveAccountChange } from "@/lib/slave-accounts/schemas";
import { EMPLOYEE_NO } from "@/lib/people/schemas";
import { LOGIN_NAME } from "@/lib/grants/schemas";
import { optionalText } from "@/lib/validation";
import type { Table } from "./read-table";
import { parseDateTime } from "./wall-clock";
import { isUniqueViolationAnywhere, uuidv7 } from "@/lib/sql";
import {
  addError,
  dataRows,
  FORMULA,
  finishPreview,
  headerPreview,
  loadSystemFor,
  mapColumns,
  newRow,
  recount,
  SCIENTIFIC,
  SystemImportInvalidError,
  uniqueOf,
  type SystemImportPreview,
  type SystemImportRow,
} from "./system-import";

// Slave-account import (issue 3 items 7 and 11), per business system, for its account administrators.
// A file is what the business system itself knows: each login name, whose it is (the owner's employee
// number; empty = not known, R2's orphan), its status and last login. Rows are checked set-wise (a
// handful of queries whatever the file's size); nothing is written unless every row is valid.
//
// Re-importing a file (last month's export, or a fresh listing from the business system) is safe:
//  - a login name the portal does not know is a new account (one set-based INSERT: the account exists
//    in the business system already, so nothing is provisioned);
//  - a login name it knows is that account: a row that changes nothing is "unchanged"; an empty status,
//    owner or last-login cell keeps what is stored;
//  - a status change is the account lifecycle's own use case (changeSlaveAccountStatus: disabling
//    revokes the live grants, re-enabling needs an active owner, audited per account, provisioned);
//  - the owner is never moved from a current owner to another person (close the account, create one);
//    an orphan (owner unknown or left) named with an owner gets them through assignSlaveAccountOwner
//    (an active person without another account here; the policy engine judges what the account holds);
//  - a later or earlier last login is taken as the file says (one set-based UPDATE);
//  - a login name of a deleted account is refused (the name stays taken by its history);
//  - the basis of an existing account (why it was created) is kept; the row's basis goes into the audit.
// Lifecycle changes run row by row under savepoints (so every refusal is reported); the preview runs
// them too and rolls them back.

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
  (Object.entries(STATUS_WORDS) as [ImportableStatus, string[]][]).flatMap(([s, words]) =>
    words.map((w) => [w.toLowerCase(), s] as [string, ImportableStatus]),
  ),
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

type Existing = { id: string; login_name: string; person_id: string | null; status: string; last_login_at: Date | null };
type Owner = { id: string; employee_no: string; status: string };

type Plan =
  | {
      kind: "create";
      line: number;
      id: string;
      loginName: string;
      personId: string | null;
      status: ImportableStatus;
      lastLoginAt: Date | null;
      basis: string | null;
    }
  | {
      kind: "update";
      line: number;
      id: string;
      loginName: string;
      basis: string | null;
      /** An orphan's new owner (assignSlaveAccountOwner). */
      assignOwner?: string;
      /** A lifecycle step (changeSlaveAccountStatus). */
      change?: SlaveAccountChange;
      /** A last login to store (set-based). */
      lastLoginAt?: Date;
      before: { personId: string | null; status: string; lastLoginAt: Date | null };
      after: { personId: string | null; status: string; lastLoginAt: Date | null };
    };

// The lifecycle step that takes an account from one status to another (lib/slave-accounts: there is
// no direct DISABLED → LOCKED; re-enable first).
const STEP: Record<string, SlaveAccountChange | undefined> = {
  "ACTIVE>LOCKED": "lock",
  "LOCKED>ACTIVE": "unlock",
  "ACTIVE>DISABLED": "disable",
  "LOCKED>DISABLED": "disable",
  "DISABLED>ACTIVE": "enable",
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

async function lookUp(tx: Tx, systemId: string, parsed: Parsed[]) {
  const logins = uniqueOf(parsed.map((p) => p.loginName));
  const ownerNos = uniqueOf(parsed.map((p) => p.ownerNo));
  // Accounts named by the file. Not locked here: the lifecycle use cases lock (person, then account)
  // and compare-and-set; creates meet the unique indexes.
  const existing = logins.length
    ? await tx.$queryRaw<Existing[]>`
        SELECT id, login_name, person_id, status::text AS status, last_login_at FROM slave_account
        WHERE system_id = ${systemId}::uuid AND login_name = ANY(${logins}::text[])`
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

async function validate(
  tx: Tx,
  systemId: string,
  table: Table,
  opts: { now: Date; timeZone: string },
): Promise<{ preview: SystemImportPreview; plans: Plan[] }> {
  const [header = []] = table.rows;
  const { columns, errors } = mapColumns(header, ACCOUNT_HEADERS, ["loginName", "ownerEmployeeNo"]);
  if (errors.length) return { preview: headerPreview("accounts", systemId, table, errors), plans: [] };
  const parsed = dataRows(table, columns).map(({ line, v }) => parseRow(line, v, opts.timeZone, opts.now));
  if (parsed.length === 0) return { preview: finishPreview("accounts", systemId, table, []), plans: [] };
  const found = await lookUp(tx, systemId, parsed);

  // Within the file: the first line holding a login name / an owner, to name it on the others.
  const firstLogin = new Map<string, number>();
  const firstOwner = new Map<string, number>();
  for (const p of parsed) {
    if (p.loginName && !firstLogin.has(p.loginName)) firstLogin.set(p.loginName, p.row.line);
    if (p.ownerNo && !firstOwner.has(p.ownerNo)) firstOwner.set(p.ownerNo, p.row.line);
  }
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
    const current = existing?.person_id ? found.ownerById.get(existing.person_id) : undefined;
    // Another person than the account's current (not departed) owner: never moved by an import.
    if (owner && existing?.person_id && existing.person_id !== owner.id && current?.status !== "LEFT") {
      add("ownerEmployeeNo", "owner-differs", { owner: current?.employee_no ?? "?" });
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
      if (!owner) row.notes.push({ field: "ownerEmployeeNo", code: "orphan-unknown-owner" });
      else if (owner.status === "LEFT") row.notes.push({ field: "ownerEmployeeNo", code: "orphan-owner-left" });
      row.action = "create";
      plans.push({
        kind: "create",
        line: row.line,
        id: uuidv7(),
        loginName: p.loginName,
        personId: owner?.id ?? null,
        status: p.status ?? "ACTIVE",
        lastLoginAt: p.lastLoginAt ?? null,
        basis,
      });
      continue;
    }
    // An orphan (no owner, or one who has left) named with someone else: that person becomes its owner.
    const assignOwner = owner && owner.id !== existing.person_id ? owner : undefined;
    if (assignOwner && assignOwner.status !== "ACTIVE") {
      add("ownerEmployeeNo", "OWNER_NOT_ACTIVE", { status: assignOwner.status });
      continue;
    }
    const personId = assignOwner?.id ?? existing.person_id;
    const ownerAfter = assignOwner ?? current;
    const status = p.status ?? existing.status;
    const change = status === existing.status ? undefined : STEP[`${existing.status}>${status}`];
    if (status !== existing.status && !change) {
      add("status", "SLAVE_ACCOUNT_TRANSITION", { status: existing.status, change: status === "LOCKED" ? "lock" : "enable" });
      continue;
    }
    // Unlocking or re-enabling needs a current, active owner (the lifecycle's rule, checked here for the preview).
    if (status === "ACTIVE" && change) {
      if (!ownerAfter || ownerAfter.status === "LEFT") {
        add("status", "SLAVE_ACCOUNT_ORPHAN");
        continue;
      }
      if (ownerAfter.status !== "ACTIVE") {
        add("status", "OWNER_NOT_ACTIVE", { status: ownerAfter.status });
        continue;
      }
    }
    const lastLoginAt = p.lastLoginAt && p.lastLoginAt.getTime() !== existing.last_login_at?.getTime() ? p.lastLoginAt : undefined;
    if (!ownerAfter) row.notes.push({ field: "ownerEmployeeNo", code: "orphan-unknown-owner" });
    else if (ownerAfter.status === "LEFT") row.notes.push({ field: "ownerEmployeeNo", code: "orphan-owner-left" });
    const before = { personId: existing.person_id, status: existing.status, lastLoginAt: existing.last_login_at };
    const after = { personId, status, lastLoginAt: lastLoginAt ?? existing.last_login_at };
    if (!assignOwner && !change && !lastLoginAt) {
      row.action = "unchanged";
      continue;
    }
    row.action = "update";
    plans.push({
      kind: "update",
      line: row.line,
      id: existing.id,
      loginName: p.loginName,
      basis,
      assignOwner: assignOwner?.id,
      change,
      lastLoginAt,
      before,
      after,
    });
  }
  const preview = finishPreview(
    "accounts",
    systemId,
    table,
    parsed.map((p) => p.row),
  );
  // Each lifecycle change is a use case with its own audit rows (the audit chain's lock is held to the
  // end): bounded like a grant file.
  const lifecycle = plans.filter((p) => p.kind === "update" && (p.assignOwner || p.change)).length;
  if (lifecycle > MAX_LIFECYCLE_CHANGES)
    return {
      preview: headerPreview("accounts", systemId, table, [
        { field: "file", code: "too-many-account-changes", params: { max: MAX_LIFECYCLE_CHANGES, count: lifecycle } },
      ]),
      plans: [],
    };
  return { preview, plans: preview.errorCount ? [] : plans };
}

/** Status changes and owner assignments per file (creates and last logins are set-based, unbounded). */
export const MAX_LIFECYCLE_CHANGES = 1000;

type Lifecycle = Extract<Plan, { kind: "update" }>;

/**
 * The owner assignments and status changes, in file order, each through its use case under a
 * savepoint: a refusal (a policy violation, a conflict with someone acting meanwhile) becomes that
 * row's error and the next row is still tried.
 */
async function applyLifecycle(
  tx: Tx,
  actor: Actor,
  preview: SystemImportPreview,
  plans: Lifecycle[],
  now: Date,
): Promise<{ owners: number; statuses: number }> {
  const rows = new Map(preview.rows.map((r) => [r.line, r]));
  let owners = 0;
  let statuses = 0;
  for (const plan of plans) {
    const reason = `Account import: ${preview.fileName.slice(0, 200)}, row ${plan.line}`;
    const basis = plan.basis ?? undefined;
    let field = "ownerEmployeeNo";
    await tx.$executeRawUnsafe("SAVEPOINT account_import_row");
    try {
      if (plan.assignOwner)
        await assignSlaveAccountOwner(tx, actor, { slaveAccountId: plan.id, personId: plan.assignOwner, reason, basis }, now);
      field = "status";
      if (plan.change)
        await changeSlaveAccountStatus(
          tx,
          actor,
          { slaveAccountId: plan.id, change: plan.change, expectedStatus: plan.before.status as "ACTIVE", reason, basis },
          now,
        );
      await tx.$executeRawUnsafe("RELEASE SAVEPOINT account_import_row");
      if (plan.assignOwner) owners++;
      if (plan.change) statuses++;
    } catch (error) {
      await tx.$executeRawUnsafe("ROLLBACK TO SAVEPOINT account_import_row");
      await tx.$executeRawUnsafe("RELEASE SAVEPOINT account_import_row");
      if (!(error instanceof DomainError)) throw error;
      const row = rows.get(plan.line)!;
      row.action = undefined;
      if (error.code === "POLICY_VIOLATION" && Array.isArray(error.details))
        for (const v of error.details as { code: string; params: Record<string, string> }[])
          row.errors.push({ field, code: v.code, params: v.params });
      else row.errors.push({ field, code: error.code === "ALREADY_EXISTS" ? "person-has-account" : error.code, params: error.params });
    }
  }
  recount(preview);
  return { owners, statuses };
}

export type AccountImportInput = { systemId: string; table: Table };
export type ImportOptions = { now?: Date; timeZone?: string };

const zoneOf = (opts: ImportOptions) => opts.timeZone ?? APP_TIME_ZONE;

/**
 * Every row checked, nothing kept: owner assignments and status changes run through their use cases
 * (so the policy engine and the lifecycle rules judge them) under a savepoint that is rolled back.
 */
export async function previewAccountImport(
  tx: Tx,
  actor: Actor,
  input: AccountImportInput,
  opts: ImportOptions = {},
): Promise<SystemImportPreview> {
  await loadSystemFor(tx, actor, input.systemId);
  const now = opts.now ?? new Date();
  const { preview, plans } = await validate(tx, input.systemId, input.table, { now, timeZone: zoneOf(opts) });
  const lifecycle = plans.filter((p): p is Lifecycle => p.kind === "update" && !!(p.assignOwner || p.change));
  if (lifecycle.length === 0) return preview;
  await tx.$executeRawUnsafe("SAVEPOINT account_import_preview");
  try {
    await applyLifecycle(tx, actor, preview, lifecycle, now);
  } finally {
    await tx.$executeRawUnsafe("ROLLBACK TO SAVEPOINT account_import_preview");
    await tx.$executeRawUnsafe("RELEASE SAVEPOINT account_import_preview");
  }
  return preview;
}

// Audit rows name the accounts they changed; a big file writes one per this many (decision 0003:
// bulk work writes a row per batch, not one per item).

/**
 * All or nothing: checked again (the database may have changed since the preview); owner
 * assignments and status changes through their use cases (their own audit rows); then one INSERT for
 * the new accounts, one UPDATE for the last logins, and "slave-account.imported" audit rows naming
 * every account the import touched.
 */
export async function commitAccountImport(
  tx: Tx,
  actor: Actor,
  input: AccountImportInput,
  opts: ImportOptions = {},
): Promise<{ created: number; updated: number; unchanged: number; preview: SystemImportPreview }> {
  const system = await loadSystemFor(tx, actor, input.systemId);
  const now = opts.now ?? new Date();
  const { preview, plans } = await validate(tx, system.id, input.table, { now, timeZone: zoneOf(opts) });
  if (preview.errorCount > 0) throw new SystemImportInvalidError(preview);
  const creates = plans.filter((p): p is Extract<Plan, { kind: "create" }> => p.kind === "create");
  const updates = plans.filter((p): p is Lifecycle => p.kind === "update");
  const lifecycle = updates.filter((u) => u.assignOwner || u.change);
  const done = lifecycle.length ? await applyLifecycle(tx, actor, preview, lifecycle, now) : { owners: 0, statuses: 0 };
  if (preview.errorCount > 0) throw new SystemImportInvalidError(preview);
  const logins = updates.filter((u) => u.lastLoginAt);
  const actorId = actor.kind === "person" ? actor.personId : null;
  try {
    if (creates.length)
      await tx.$executeRaw`
        INSERT INTO slave_account (id, system_id, person_id, login_name, status, basis, created_by_id, last_login_at, created_at, updated_at)
        SELECT v.id, ${system.id}::uuid, v.person_id, v.login_name, v.status::"SlaveAccountStatus", v.basis, ${actorId}::uuid, v.last_login_at, ${now}, ${now}
        FROM unnest(${creates.map((c) => c.id)}::uuid[], ${creates.map((c) => c.personId)}::uuid[], ${creates.map((c) => c.loginName)}::text[],
                    ${creates.map((c) => c.status)}::text[], ${creates.map((c) => c.basis)}::text[], ${creates.map((c) => c.lastLoginAt)}::timestamptz[])
             AS v(id, person_id, login_name, status, basis, last_login_at)`;
    if (logins.length)
      await tx.$executeRaw`
        UPDATE slave_account sa SET last_login_at = v.last_login_at, updated_at = ${now}
        FROM unnest(${logins.map((u) => u.id)}::uuid[], ${logins.map((u) => u.lastLoginAt!)}::timestamptz[]) AS v(id, last_login_at)
        WHERE sa.id = v.id AND sa.system_id = ${system.id}::uuid`;
  } catch (error) {
    // A login name or a person's account in this system taken since the check, by someone else.
    if (isUniqueViolationAnywhere(error)) throw new DomainError("CONFLICT", { field: "file" });
    throw error;
  }
  const counts = { created: creates.length, updated: updates.length, unchanged: preview.counts.unchanged ?? 0 };
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  // One bulk event (issue 14 §3) with an item per account of the file, created or updated.
  await recordBulkAuditEvent(
    tx,
    actor,
    {
      action: "slave-account.imported",
      target: { type: "system", id: system.id },
      summary: {
        fileName: preview.fileName,
        format: input.table.format,
        rows: preview.rows.length,
        ...counts,
        // These also have their own rows (slave-account.owner-assigned, slave-account.locked, …).
        ownersAssigned: done.owners,
        statusesChanged: done.statuses,
      },
    },
    plans.map((p) =>
      p.kind === "create"
        ? {
            kind: "slave-account" as const,
            subjectId: p.id,
            personId: p.personId,
            detail: {
              line: p.line,
              loginName: p.loginName,
              change: "created",
              after: { personId: p.personId, status: p.status, lastLoginAt: iso(p.lastLoginAt), basis: p.basis },
            },
          }
        : {
            kind: "slave-account" as const,
            subjectId: p.id,
            personId: p.after.personId ?? p.before.personId ?? null,
            detail: {
              line: p.line,
              loginName: p.loginName,
              change: "updated",
              basis: p.basis,
              before: { ...p.before, lastLoginAt: iso(p.before.lastLoginAt) },
              after: { ...p.after, lastLoginAt: iso(p.after.lastLoginAt) },
            },
          },
    ),
  );
  return { ...counts, preview };
}
