"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { performAsActor } from "@/lib/http/perform";
import { actionError } from "@/lib/http/action-state";
import { MAX_FILE_BYTES, readTable, TableError, type Table } from "@/lib/imports/read-table";
import { commitStaffImport, ImportInvalidError, importTimeoutMs, previewStaffImport, type ImportPreview } from "@/lib/imports/staff-import";

export type ImportProblem = { line: number; field: string; message: string };
export type ImportPreviewView = {
  fileName: string;
  total: number;
  validCount: number;
  errorCount: number;
  /** The rows shown on the page: those with errors first, at most SHOWN_ROWS. */
  rows: { line: number; values: Record<string, string>; problems: { field: string; message: string }[] }[];
  /** Every error (up to MAX_REPORTED), for the downloadable report. */
  errors: ImportProblem[];
};
export type ImportState = { formError?: string; preview?: ImportPreviewView; created?: number };

const SHOWN_ROWS = 200;
const MAX_REPORTED = 50_000;

async function readUpload(form: FormData): Promise<Table> {
  const file = form.get("file");
  if (!(file instanceof File) || !file.name) throw new TableError("EMPTY");
  // Refused before reading it into memory.
  if (file.size > MAX_FILE_BYTES) throw new TableError("TOO_LARGE", { max: MAX_FILE_BYTES / 1024 / 1024 });
  return readTable(new Uint8Array(await file.arrayBuffer()), file.name);
}

async function present(preview: ImportPreview): Promise<ImportPreviewView> {
  const [t, tValidation, tErrors] = await Promise.all([
    getTranslations("imports"),
    getTranslations("validation"),
    getTranslations("errors"),
  ]);
  const message = (code: string, params: Record<string, string | number> = {}) =>
    t.has(`errors.${code}`)
      ? t(`errors.${code}`, params)
      : tValidation.has(code)
        ? tValidation(code)
        : tErrors.has(code)
          ? (tErrors as (k: string, p: Record<string, string | number>) => string)(code, params)
          : tValidation("invalid");
  const fieldLabel = (f: string) => (t.has(`fields.${f}`) ? t(`fields.${f}`) : f);
  const ordered = [...preview.rows.filter((r) => r.errors.length), ...preview.rows.filter((r) => !r.errors.length)];
  const errors: ImportProblem[] = [];
  for (const r of preview.rows)
    for (const e of r.errors)
      if (errors.length < MAX_REPORTED) errors.push({ line: r.line, field: fieldLabel(e.field), message: message(e.code, e.params) });
  return {
    fileName: preview.fileName,
    total: preview.rows.length,
    validCount: preview.validCount,
    errorCount: preview.errorCount,
    rows: ordered.slice(0, SHOWN_ROWS).map((r) => ({
      line: r.line,
      values: r.values as Record<string, string>,
      problems: r.errors.map((e) => ({ field: fieldLabel(e.field), message: message(e.code, e.params) })),
    })),
    errors,
  };
}

async function fileError(error: TableError): Promise<ImportState> {
  const t = await getTranslations("imports");
  return { formError: t(`fileErrors.${error.code}`, error.params) };
}

/** Reads and checks the whole file; writes nothing. */
export async function previewStaffImportAction(_prev: ImportState, form: FormData): Promise<ImportState> {
  try {
    const table = await readUpload(form);
    const preview = await performAsActor((tx, actor) => previewStaffImport(tx, actor, table));
    return { preview: await present(preview) };
  } catch (error) {
    if (error instanceof TableError) return fileError(error);
    return actionError(error);
  }
}

/**
 * The same file again (the browser keeps it between preview and commit; nothing is stored on the
 * server), checked again and imported all or nothing.
 */
export async function commitStaffImportAction(_prev: ImportState, form: FormData): Promise<ImportState> {
  let created: number;
  try {
    const table = await readUpload(form);
    // A transaction sized for the file: an import of thousands of rows takes longer than one form.
    created = (await performAsActor((tx, actor) => commitStaffImport(tx, actor, table), { timeoutMs: importTimeoutMs(table) })).created;
  } catch (error) {
    if (error instanceof TableError) return fileError(error);
    if (error instanceof ImportInvalidError) {
      const t = await getTranslations("imports");
      return { formError: t("hasErrors"), preview: await present(error.preview) };
    }
    return actionError(error);
  }
  revalidatePath("/people");
  return { created };
}
