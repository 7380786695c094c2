import { useMemo, type ReactNode } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import type { ImportNamespace } from "./file-import";

export type ImportProblem = { line: number; field: string; message: string };
export type ImportPreviewRow = {
  line: number;
  values: Record<string, string>;
  problems: { field: string; message: string }[];
  notes?: string[];
};
export type ImportPreviewData<R extends ImportPreviewRow = ImportPreviewRow> = {
  fileName: string;
  total: number;
  validCount: number;
  errorCount: number;
  rows: R[];
  errors: ImportProblem[];
};

function csvCell(v: string | number): string {
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The error report, made in the browser when asked for: UTF-8 with BOM, so Excel shows the Chinese. */
function downloadErrorReport(errors: ImportProblem[], header: string[], fileName: string): void {
  const csv = `\uFEFF${[header.map(csvCell).join(","), ...errors.map((e) => [e.line, e.field, e.message].map(csvCell).join(","))].join("\r\n")}\r\n`;
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A column shown only by some imports (e.g. what each row would do). */
export type ExtraColumn<R> = { header: string; cell: (row: R) => ReactNode };

/**
 * The checked file: the summary, then either the error report (nothing can be imported while a row
 * has an error) or the import button, then the rows.
 */
export function ImportPreview<R extends ImportPreviewRow>({
  namespace,
  preview,
  summaryDetail,
  readyNote,
  commit,
  ...table
}: {
  namespace: ImportNamespace;
  preview: ImportPreviewData<R>;
  /** Said after the summary. */
  summaryDetail?: string;
  /** Said next to "every row is valid". */
  readyNote?: string;
  /** The import button, when the file can be imported. */
  commit?: { label: string; disabled: boolean; onClick: () => void };
  caption: string;
  columns: readonly string[];
  extraColumn?: ExtraColumn<R>;
}) {
  const t = useTranslations(namespace);
  const header = useMemo(() => [t("reportLine"), t("reportField"), t("reportError")], [t]);
  return (
    <div className="space-y-3" data-testid="import-preview">
      <p className="text-sm text-slate-700">
        {t("summary", { fileName: preview.fileName, total: preview.total, valid: preview.validCount, errors: preview.errorCount })}
        {summaryDetail === undefined ? null : ` ${summaryDetail}`}
      </p>
      {preview.errorCount ? (
        <div className="flex flex-wrap items-center gap-3">
          <p className="text-sm text-red-700">{t("hasErrors")}</p>
          <Button
            type="button"
            variant="secondary"
            onClick={() => downloadErrorReport(preview.errors, header, `import-errors-${preview.fileName.replace(/\.[^.]+$/, "")}.csv`)}
            data-testid="import-error-report"
          >
            {t("downloadErrors")}
          </Button>
        </div>
      ) : (
        <div className="flex flex-wrap items-center gap-3">
          <p className="text-sm text-emerald-700">{t("allValid")}</p>
          {readyNote ? <p className="text-sm text-slate-600">{readyNote}</p> : null}
          {commit ? (
            <Button type="button" disabled={commit.disabled} onClick={commit.onClick} data-testid="import-commit">
              {commit.label}
            </Button>
          ) : null}
        </div>
      )}
      <ImportPreviewTable namespace={namespace} rows={preview.rows} total={preview.total} {...table} />
    </div>
  );
}

/** The checked rows, those with errors first, each error (and note) next to its row (column: message). */
function ImportPreviewTable<R extends ImportPreviewRow>({
  namespace,
  rows,
  total,
  caption,
  columns,
  extraColumn,
}: {
  namespace: ImportNamespace;
  rows: R[];
  total: number;
  caption: string;
  columns: readonly string[];
  extraColumn?: ExtraColumn<R>;
}) {
  const t = useTranslations(namespace);
  return (
    <div className="space-y-2">
      {rows.length < total ? <p className="text-xs text-slate-500">{t("shownRows", { shown: rows.length, total })}</p> : null}
      <Table caption={caption}>
        <thead>
          <tr>
            <Th>{t("line")}</Th>
            {columns.map((c) => (
              <Th key={c}>{t(`fields.${c}`)}</Th>
            ))}
            {extraColumn ? <Th>{extraColumn.header}</Th> : null}
            <Th>{t("problems")}</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => (
            <tr key={r.line} data-testid={`import-row-${r.line}`} className={r.problems.length ? "bg-red-50/40" : undefined}>
              <Td className="font-mono text-xs">{r.line}</Td>
              {columns.map((c) => (
                <Td key={c} className="max-w-48 truncate" title={r.values[c]}>
                  {r.values[c] ?? ""}
                </Td>
              ))}
              {extraColumn ? <Td>{extraColumn.cell(r)}</Td> : null}
              <Td>
                {r.problems.length ? (
                  <ul className="space-y-0.5 text-xs text-red-700">
                    {r.problems.map((p, i) => (
                      <li key={i}>
                        <span className="font-medium">{p.field}</span>: {p.message}
                      </li>
                    ))}
                  </ul>
                ) : null}
                {r.notes?.length ? (
                  <ul className="space-y-0.5 text-xs text-amber-800">
                    {r.notes.map((n, i) => (
                      <li key={i}>{n}</li>
                    ))}
                  </ul>
                ) : null}
                {!r.problems.length && !r.notes?.length ? <Badge tone="green">{t("ok")}</Badge> : null}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}
