import type { Tx } from "@/lib/db";
import { APP_TIME_ZONE } from "@/lib/time/calendar";
import type { Actor } from "@/lib/authz/actor";
import { recordBulkAuditEvent } from "@/lib/audit/record-audit-event";
import type { Table } from "./read-table";
import { parseDateTime } from "./wall-clock";
import {
  addError,
  dataRows,
  finishPreview,
  headerPreview,
  loadSystemFor,
  mapColumns,
  newRow,
  SystemImportInvalidError,
  uniqueOf,
  type SystemImportPreview,
  type SystemImportRow,
} from "./system-import";

// Last-login import (issue 3 item 7), per business system: the login name and last login time the
// business system reports (its user list or its login log), so reviews and the orphan list see who
// still uses an account. A login name listed twice counts with its latest time; a last login never
// goes backwards (an older time than the stored one changes nothing). Login names the portal does not
// know (or knows as deleted) are reported and skipped: that list is itself a finding for the review.
// A row that cannot be read (no login name, a date that is not one) stops the whole file.

export const LAST_LOGIN_FIELDS = ["loginName", "lastLogin"] as const;
export type LastLoginField = (typeof LAST_LOGIN_FIELDS)[number];

export const LAST_LOGIN_HEADERS: Record<LastLoginField, string[]> = {
  loginName: ["登录名", "帐号", "账号", "从帐号", "从账号", "用户名", "login_name", "loginName", "account"],
  lastLogin: ["最后登录时间", "最后登录", "最近登录时间", "上次登录时间", "登录时间", "last_login", "last_login_at", "lastLogin"],
};

const FUTURE_SLACK_MS = 24 * 3_600_000;
// How many unknown login names the audit row lists (the count is always there).
const AUDITED_UNKNOWN = 100;

type Parsed = { row: SystemImportRow; loginName?: string; at?: Date };

async function validate(tx: Tx, systemId: string, table: Table, now: Date, timeZone: string) {
  const [header = []] = table.rows;
  const { columns, errors } = mapColumns(header, LAST_LOGIN_HEADERS, ["loginName", "lastLogin"]);
  if (errors.length)
    return { preview: headerPreview("last-login", systemId, table, errors), updates: new Map<string, Date>(), unknown: [] as string[] };
  const parsed: Parsed[] = dataRows(table, columns).map(({ line, v }) => {
    const row = newRow(line, v);
    const p: Parsed = { row };
    if (!v.loginName) addError(row, "loginName", "required");
    else p.loginName = v.loginName;
    const at = v.lastLogin ? parseDateTime(v.lastLogin, timeZone) : null;
    if (!v.lastLogin) addError(row, "lastLogin", "required");
    else if (!at) addError(row, "lastLogin", "invalid-date-time");
    else if (at.getTime() > now.getTime() + FUTURE_SLACK_MS) addError(row, "lastLogin", "in-future");
    else p.at = at;
    return p;
  });
  const logins = uniqueOf(parsed.map((p) => p.loginName));
  const accounts = logins.length
    ? await tx.$queryRaw<{ login_name: string; status: string; last_login_at: Date | null }[]>`
        SELECT login_name, status::text AS status, last_login_at FROM slave_account
        WHERE system_id = ${systemId}::uuid AND login_name = ANY(${logins}::text[])`
    : [];
  const byLogin = new Map(accounts.map((a) => [a.login_name, a]));
  // The latest time per login name in the file, and the row that holds it.
  const latest = new Map<string, { at: Date; line: number }>();
  for (const p of parsed) {
    if (!p.loginName || !p.at) continue;
    const seen = latest.get(p.loginName);
    if (!seen || p.at > seen.at) latest.set(p.loginName, { at: p.at, line: p.row.line });
  }
  const unknown = new Set<string>();
  for (const p of parsed) {
    if (!p.loginName || !p.at || p.row.errors.length) continue;
    const account = byLogin.get(p.loginName);
    if (!account || account.status === "DELETED") {
      p.row.action = "skip";
      p.row.notes.push({ field: "loginName", code: account ? "deleted-account" : "unknown-login" });
      unknown.add(p.loginName);
      continue;
    }
    const best = latest.get(p.loginName)!;
    if (best.line !== p.row.line) {
      p.row.action = "unchanged";
      p.row.notes.push({ field: "lastLogin", code: "later-row", params: { line: best.line } });
    } else if (account.last_login_at && account.last_login_at >= p.at) {
      p.row.action = "unchanged";
      if (account.last_login_at > p.at) p.row.notes.push({ field: "lastLogin", code: "older-than-stored" });
    } else p.row.action = "update";
  }
  const preview = finishPreview(
    "last-login",
    systemId,
    table,
    parsed.map((p) => p.row),
  );
  const updates = new Map<string, Date>();
  for (const p of parsed) if (p.row.action === "update") updates.set(p.loginName!, p.at!);
  return { preview, updates, unknown: [...unknown] };
}

export type LastLoginImportInput = { systemId: string; table: Table };
type Options = { now?: Date; timeZone?: string };
const zoneOf = (opts: Options) => opts.timeZone ?? APP_TIME_ZONE;

/** Every row checked, nothing written. */
export async function previewLastLoginImport(
  tx: Tx,
  actor: Actor,
  input: LastLoginImportInput,
  opts: Options = {},
): Promise<SystemImportPreview> {
  await loadSystemFor(tx, actor, input.systemId);
  return (await validate(tx, input.systemId, input.table, opts.now ?? new Date(), zoneOf(opts))).preview;
}

/**
 * One set-based UPDATE … FROM unnest(…) of the accounts whose last login moves forward (the
 * condition is in the statement, so a login recorded meanwhile is never overwritten by an older one),
 * and one "slave-account.last-login-imported" bulk audit event with the counts and an item per account updated.
 */
export async function commitLastLoginImport(
  tx: Tx,
  actor: Actor,
  input: LastLoginImportInput,
  opts: Options = {},
): Promise<{ updated: number; unchanged: number; unknown: number; preview: SystemImportPreview }> {
  const system = await loadSystemFor(tx, actor, input.systemId);
  const now = opts.now ?? new Date();
  const { preview, updates, unknown } = await validate(tx, system.id, input.table, now, zoneOf(opts));
  if (preview.errorCount > 0) throw new SystemImportInvalidError(preview);
  const logins = [...updates.keys()];
  const changed = logins.length
    ? await tx.$queryRaw<{ id: string; person_id: string | null; login_name: string; at: Date }[]>`
        UPDATE slave_account sa SET last_login_at = v.at, updated_at = ${now}
        FROM unnest(${logins}::text[], ${logins.map((l) => updates.get(l)!)}::timestamptz[]) AS v(login_name, at)
        WHERE sa.system_id = ${system.id}::uuid AND sa.login_name = v.login_name AND sa.status <> 'DELETED'
          AND (sa.last_login_at IS NULL OR sa.last_login_at < v.at)
        RETURNING sa.id::text, sa.person_id::text, sa.login_name, v.at`
    : [];
  const updated = changed.length;
  const skipped = preview.counts.skip ?? 0;
  const unchanged = preview.rows.length - skipped - updated;
  // One bulk event (issue 14 §3) with an item per account whose last login moved.
  await recordBulkAuditEvent(
    tx,
    actor,
    {
      action: "slave-account.last-login-imported",
      target: { type: "system", id: system.id },
      summary: {
        fileName: preview.fileName,
        format: input.table.format,
        rows: preview.rows.length,
        updated,
        unchanged,
        unknownRows: skipped,
        unknownLogins: unknown.length,
        unknownLoginNames: unknown.slice(0, AUDITED_UNKNOWN),
      },
    },
    changed
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((c) => ({
        kind: "slave-account" as const,
        subjectId: c.id,
        personId: c.person_id,
        detail: { loginName: c.login_name, lastLoginAt: c.at.toISOString() },
      })),
  );
  return { updated, unchanged, unknown: unknown.length, preview };
}
