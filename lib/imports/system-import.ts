import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { normaliseHeader } from "./staff-import";
import type { Table } from "./read-table";

// What the three per-system imports (slave accounts, grants, last logins; issue 3 items 7 and 11)
// share: the column mapping, the row-by-row preview shape, the system and its account administrator.

export type SystemImportKind = "accounts" | "grants" | "last-login";

export type RowError = { field: string; code: string; params?: Record<string, string | number> };
/**
 * What the row will do once imported: create or update an account, grant a role; "unchanged" when
 * the portal already has it; "skip" for a last-login row naming an account the portal does not know.
 */
export type RowAction = "create" | "update" | "unchanged" | "grant" | "skip";
export type SystemImportRow = {
  line: number;
  values: Record<string, string>;
  errors: RowError[];
  /** Worth knowing, not blocking: an orphan account, an unknown login name, a role already held. */
  notes: RowError[];
  action?: RowAction;
};
export type SystemImportPreview = {
  kind: SystemImportKind;
  systemId: string;
  fileName: string;
  rows: SystemImportRow[];
  validCount: number;
  errorCount: number;
  /** Per action (create, update, unchanged, grant, skip): how many rows. */
  counts: Partial<Record<RowAction, number>>;
};

/** Thrown by a commit when any row is invalid (nothing written); `preview` says which and why. */
export class SystemImportInvalidError extends DomainError {
  readonly preview: SystemImportPreview;
  constructor(preview: SystemImportPreview) {
    super("VALIDATION", { details: preview });
    this.preview = preview;
  }
}

// Echoed values are for showing next to the errors: bounded, whatever the file held.
const SHOWN = 200;
export const clip = (v: string) => (v.length > SHOWN ? `${v.slice(0, SHOWN)}…` : v);

// A spreadsheet formula typed as text; stored, it would run when someone opens an export elsewhere.
export const FORMULA = /^[=+\-@\t\r]/;
// What Excel wrote into a CSV for a long number in a narrow "General" column.
export const SCIENTIFIC = /^\d+(\.\d+)?e\+?\d+$/i;

/** Header row → column index per field; a missing required column or a field twice is a line-1 error. */
export function mapColumns<F extends string>(
  header: string[],
  headers: Record<F, string[]>,
  required: F[],
  oneOf: F[] = [],
): { columns: Map<number, F>; errors: RowError[] } {
  const lookup = new Map<string, F>();
  for (const [field, names] of Object.entries(headers) as [F, string[]][]) for (const n of names) lookup.set(normaliseHeader(n), field);
  const columns = new Map<number, F>();
  const errors: RowError[] = [];
  const seen = new Set<F>();
  header.forEach((h, i) => {
    const field = lookup.get(normaliseHeader(h));
    if (!field) return;
    if (seen.has(field)) errors.push({ field, code: "duplicate-column" });
    seen.add(field);
    columns.set(i, field);
  });
  for (const f of required) if (!seen.has(f)) errors.push({ field: f, code: "missing-column" });
  if (oneOf.length && !oneOf.some((f) => seen.has(f)))
    errors.push({ field: oneOf[0]!, code: "missing-one-of", params: { other: oneOf.slice(1).join(", ") } });
  return { columns, errors };
}

/**
 * The data rows (blank ones dropped), each with its spreadsheet line number and trimmed cells by field.
 * The apostrophe our exports put before a cell starting with = + - @ (formula neutralising) is taken
 * off again, so an exported file re-imports as it was.
 */
export function dataRows<F extends string>(table: Table, columns: Map<number, F>): { line: number; v: Partial<Record<F, string>> }[] {
  const out: { line: number; v: Partial<Record<F, string>> }[] = [];
  table.rows.slice(1).forEach((cells, i) => {
    if (cells.every((c) => c.trim() === "")) return;
    const v: Partial<Record<F, string>> = {};
    for (const [col, f] of columns)
      v[f] = (cells[col] ?? "")
        .normalize("NFC")
        .trim()
        .replace(/^'(?=[=+\-@])/, "");
    out.push({ line: i + 2, v });
  });
  return out;
}

export function newRow(line: number, v: Record<string, string | undefined>): SystemImportRow {
  const values: Record<string, string> = {};
  for (const [f, s] of Object.entries(v)) if (s !== undefined) values[f] = clip(s);
  return { line, values, errors: [], notes: [] };
}

/** One error per field: the first found is the one to fix first. */
export function addError(row: SystemImportRow, field: string, code: string, params?: RowError["params"]): void {
  if (!row.errors.some((e) => e.field === field)) row.errors.push(params ? { field, code, params } : { field, code });
}

export function headerPreview(kind: SystemImportKind, systemId: string, table: Table, errors: RowError[]): SystemImportPreview {
  return {
    kind,
    systemId,
    fileName: table.fileName.slice(0, 255),
    rows: [{ line: 1, values: {}, errors, notes: [] }],
    validCount: 0,
    errorCount: 1,
    counts: {},
  };
}

export function finishPreview(kind: SystemImportKind, systemId: string, table: Table, rows: SystemImportRow[]): SystemImportPreview {
  if (rows.length === 0) return headerPreview(kind, systemId, table, [{ field: "file", code: "no-rows" }]);
  return recount({ kind, systemId, fileName: table.fileName.slice(0, 255), rows, validCount: 0, errorCount: 0, counts: {} });
}

/** Counts the rows again (after a use case refused some). */
export function recount(preview: SystemImportPreview): SystemImportPreview {
  const errorCount = preview.rows.filter((r) => r.errors.length).length;
  const counts: SystemImportPreview["counts"] = {};
  for (const r of preview.rows) if (!r.errors.length && r.action) counts[r.action] = (counts[r.action] ?? 0) + 1;
  preview.errorCount = errorCount;
  preview.validCount = preview.rows.length - errorCount;
  preview.counts = counts;
  return preview;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The system an import or export is about, for its account administrators only ("grants:manage"
 * scoped to the system). Imports need an active system; exports of a retired one are allowed.
 */
export async function loadSystemFor(tx: Tx, actor: Actor, systemId: string, opts: { mustBeActive?: boolean } = {}) {
  if (!UUID.test(systemId)) throw new DomainError("NOT_FOUND", { field: "systemId" });
  assertCan(actor, "grants:manage", { systemId });
  const system = await tx.businessSystem.findUnique({
    where: { id: systemId },
    select: { id: true, code: true, name: true, isActive: true },
  });
  if (!system || (opts.mustBeActive !== false && !system.isActive)) throw new DomainError("NOT_FOUND", { field: "systemId" });
  return system;
}

/** A transaction long enough for a file of this size (the default 20 s suits one form). */
export function systemImportTimeoutMs(table: Table, perRowMs: number): number {
  return 30_000 + table.rows.length * perRowMs;
}

const uniqueOf = (xs: (string | undefined | null)[]) => [...new Set(xs.filter((x): x is string => !!x))];
export { uniqueOf };
