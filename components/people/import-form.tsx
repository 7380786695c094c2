"use client";

import { useMemo, useState, useTransition } from "react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { commitStaffImportAction, previewStaffImportAction, type ImportProblem, type ImportState } from "@/app/(portal)/people/import/actions";
import { Button, buttonClass } from "@/components/ui/button";
import { FormError, FormNotice } from "@/components/ui/field";
import { ImportPreviewTable } from "./import-preview";

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

/**
 * Choose a file: it is checked at once (nothing written). The browser keeps the file and sends it
 * again to import, so nothing is stored on the server in between; the server checks it again.
 */
export function ImportForm({ maxBytes }: { maxBytes: number }) {
  const t = useTranslations("imports");
  const [file, setFile] = useState<File | null>(null);
  const [state, setState] = useState<ImportState>({});
  const [pending, startTransition] = useTransition();
  const [busy, setBusy] = useState<"preview" | "commit" | null>(null);
  const header = useMemo(() => [t("reportLine"), t("reportField"), t("reportError")], [t]);

  const run = (kind: "preview" | "commit", f: File) => {
    const form = new FormData();
    form.set("file", f);
    setBusy(kind);
    startTransition(async () => {
      const next = await (kind === "preview" ? previewStaffImportAction : commitStaffImportAction)({}, form);
      setState(next);
      if (next.created !== undefined) setFile(null);
      setBusy(null);
    });
  };

  const choose = (f: File | undefined) => {
    setFile(f ?? null);
    if (!f) return setState({});
    if (f.size > maxBytes) return setState({ formError: t("fileErrors.TOO_LARGE", { max: maxBytes / 1024 / 1024 }) });
    run("preview", f);
  };

  const preview = state.preview;
  return (
    <div className="space-y-4">
      <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <label htmlFor="import-file" className="block text-sm font-medium text-slate-700">{t("chooseFile")}</label>
        <input
          id="import-file"
          type="file"
          name="file"
          accept=".csv,.xlsx,.txt,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          disabled={pending}
          onChange={(e) => choose(e.target.files?.[0])}
          className="mt-1 block text-sm"
          data-testid="import-file"
        />
        <p className="mt-1 text-xs text-slate-500">{t("fileHint")}</p>
        {file && !pending ? <Button type="button" variant="ghost" className="mt-2" onClick={() => run("preview", file)}>{t("recheck")}</Button> : null}
      </div>
      {pending ? <p role="status" className="text-sm text-slate-600">{busy === "commit" ? t("importing") : t("checking")}</p> : null}
      <FormError message={state.formError} />
      {state.created !== undefined ? (
        <div className="space-y-2">
          <FormNotice message={t("imported", { count: state.created })} />
          <Link className={buttonClass("secondary")} href="/people">{t("backToPeople")}</Link>
        </div>
      ) : null}
      {preview ? (
        <div className="space-y-3" data-testid="import-preview">
          <p className="text-sm text-slate-700">{t("summary", { fileName: preview.fileName, total: preview.total, valid: preview.validCount, errors: preview.errorCount })}</p>
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
              {file ? (
                <Button type="button" disabled={pending} onClick={() => run("commit", file)} data-testid="import-commit">
                  {t("importButton", { count: preview.validCount })}
                </Button>
              ) : null}
            </div>
          )}
          <ImportPreviewTable preview={preview} />
        </div>
      ) : null}
    </div>
  );
}
