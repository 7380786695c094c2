"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { performAsActor } from "@/lib/http/perform";
import { actionError } from "@/lib/http/action-state";
import { DomainError } from "@/lib/errors";
import { MAX_FILE_BYTES, readTable, TableError, type Table } from "@/lib/imports/read-table";
import {
  SystemImportInvalidError,
  systemImportTimeoutMs,
  type SystemImportKind,
  type SystemImportPreview,
} from "@/lib/imports/system-import";
import { commitAccountImport, MAX_LIFECYCLE_CHANGES, previewAccountImport } from "@/lib/imports/account-import";
import { commitGrantImport, previewGrantImport } from "@/lib/imports/grant-import";
import { commitLastLoginImport, previewLastLoginImport } from "@/lib/imports/last-login-import";

export type SystemImportProblem = { line: number; field: string; message: string };
export type SystemImportView = {
  kind: SystemImportKind;
  fileName: string;
  total: number;
  validCount: number;
  errorCount: number;
  /** Rows the import would change (new, changed, to grant): the commit button's count. */
  changing: number;
  counts: Record<"create" | "update" | "grant" | "unchanged" | "skip", number>;
  /** The rows shown on the page: those with errors first, then those with notes, at most SHOWN_ROWS. */
  rows: {
    line: number;
    values: Record<string, string>;
    action?: string;
    problems: { field: string; message: string }[];
    notes: string[];
  }[];
  /** Every error (up to MAX_REPORTED), for the downloadable report. */
  errors: SystemImportProblem[];
};
export type SystemImportState = { formError?: string; preview?: SystemImportView; done?: string };

const SHOWN_ROWS = 200;
const MAX_REPORTED = 50_000;
const KINDS: readonly SystemImportKind[] = ["accounts", "grants", "last-login"];
// Each import's transaction budget: grants are set-based (decision 0015; 20,000 rows commit in a few
// seconds, docs/benchmarks.md), 10 ms a row leaves ten times that; accounts are set-based but up to
// MAX_LIFECYCLE_CHANGES rows may be status changes or owner assignments (a use case each).
const timeoutMs = (kind: SystemImportKind, table: Table) =>
  kind === "grants"
    ? systemImportTimeoutMs(table, 10)
    : kind === "accounts"
      ? systemImportTimeoutMs(table, 3) + Math.min(table.rows.length, MAX_LIFECYCLE_CHANGES) * 80
      : systemImportTimeoutMs(table, 2);

async function readUpload(form: FormData): Promise<{ kind: SystemImportKind; systemId: string; table: Table }> {
  const kind = String(form.get("kind") ?? "") as SystemImportKind;
  const systemId = String(form.get("systemId") ?? "").slice(0, 64);
  if (!KINDS.includes(kind)) throw new DomainError("VALIDATION", { field: "kind" });
  const file = form.get("file");
  if (!(file instanceof File) || !file.name) throw new TableError("EMPTY");
  // Refused before reading it into memory.
  if (file.size > MAX_FILE_BYTES) throw new TableError("TOO_LARGE", { max: MAX_FILE_BYTES / 1024 / 1024 });
  return { kind, systemId, table: await readTable(new Uint8Array(await file.arrayBuffer()), file.name) };
}

async function present(preview: SystemImportPreview): Promise<SystemImportView> {
  const [t, tPolicy, tErrors] = await Promise.all([getTranslations("accountImport"), getTranslations("policy"), getTranslations("errors")]);
  type Translate = (key: string, params?: Record<string, string | number>) => string;
  const message = (code: string, params: Record<string, string | number> = {}) =>
    t.has(`errors.${code}`)
      ? (t as unknown as Translate)(`errors.${code}`, params)
      : tPolicy.has(code)
        ? (tPolicy as unknown as Translate)(code, params)
        : tErrors.has(code)
          ? (tErrors as unknown as Translate)(code, params)
          : t("errors.invalid");
  const note = (code: string, params: Record<string, string | number> = {}) =>
    t.has(`notes.${code}`) ? (t as unknown as Translate)(`notes.${code}`, params) : code;
  const fieldLabel = (f: string) => (t.has(`fields.${f}`) ? (t as unknown as Translate)(`fields.${f}`) : f);
  const rank = (r: SystemImportPreview["rows"][number]) => (r.errors.length ? 0 : r.notes.length ? 1 : 2);
  const ordered = [...preview.rows].sort((a, b) => rank(a) - rank(b) || a.line - b.line);
  const errors: SystemImportProblem[] = [];
  for (const r of preview.rows)
    for (const e of r.errors)
      if (errors.length < MAX_REPORTED) errors.push({ line: r.line, field: fieldLabel(e.field), message: message(e.code, e.params) });
  const c = preview.counts;
  const counts = { create: c.create ?? 0, update: c.update ?? 0, grant: c.grant ?? 0, unchanged: c.unchanged ?? 0, skip: c.skip ?? 0 };
  return {
    kind: preview.kind,
    fileName: preview.fileName,
    total: preview.rows.length,
    validCount: preview.validCount,
    errorCount: preview.errorCount,
    changing: counts.create + counts.update + counts.grant,
    counts,
    rows: ordered.slice(0, SHOWN_ROWS).map((r) => ({
      line: r.line,
      values: r.values,
      action: r.errors.length ? undefined : r.action,
      problems: r.errors.map((e) => ({ field: fieldLabel(e.field), message: message(e.code, e.params) })),
      notes: r.notes.map((n) => note(n.code, n.params)),
    })),
    errors,
  };
}

async function fileError(error: TableError): Promise<SystemImportState> {
  const t = await getTranslations("imports");
  return { formError: t(`fileErrors.${error.code}`, error.params) };
}

/** Reads and checks the whole file (grants: through the policy engine, rolled back); writes nothing. */
export async function previewSystemImportAction(_prev: SystemImportState, form: FormData): Promise<SystemImportState> {
  try {
    const { kind, systemId, table } = await readUpload(form);
    const input = { systemId, table };
    const preview = await performAsActor(
      (tx, actor) =>
        kind === "accounts"
          ? previewAccountImport(tx, actor, input)
          : kind === "grants"
            ? previewGrantImport(tx, actor, input)
            : previewLastLoginImport(tx, actor, input),
      { timeoutMs: timeoutMs(kind, table) },
    );
    return { preview: await present(preview) };
  } catch (error) {
    if (error instanceof TableError) return fileError(error);
    return actionError(error);
  }
}

/**
 * The same file again (the browser keeps it between preview and import; nothing is stored on the
 * server), checked again and imported all or nothing.
 */
export async function commitSystemImportAction(_prev: SystemImportState, form: FormData): Promise<SystemImportState> {
  let done: string;
  let systemId: string;
  try {
    const upload = await readUpload(form);
    systemId = upload.systemId;
    const input = { systemId, table: upload.table };
    const opts = { timeoutMs: timeoutMs(upload.kind, upload.table) };
    const t = await getTranslations("accountImport");
    if (upload.kind === "accounts") {
      const r = await performAsActor((tx, actor) => commitAccountImport(tx, actor, input), opts);
      done = t("imported.accounts", { created: r.created, updated: r.updated, unchanged: r.unchanged });
    } else if (upload.kind === "grants") {
      const r = await performAsActor((tx, actor) => commitGrantImport(tx, actor, input), opts);
      done = t("imported.grants", { granted: r.granted, unchanged: r.unchanged });
    } else {
      const r = await performAsActor((tx, actor) => commitLastLoginImport(tx, actor, input), opts);
      done = t("imported.last-login", { updated: r.updated, unchanged: r.unchanged, unknown: r.unknown });
    }
  } catch (error) {
    if (error instanceof TableError) return fileError(error);
    if (error instanceof SystemImportInvalidError) {
      const t = await getTranslations("accountImport");
      return { formError: t("hasErrors"), preview: await present(error.preview) };
    }
    return actionError(error);
  }
  revalidatePath(`/systems/${systemId}`);
  return { done };
}
