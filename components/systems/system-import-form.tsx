"use client";

import { useMemo, useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import {
  commitSystemImportAction, previewSystemImportAction, type SystemImportProblem, type SystemImportState, type SystemImportView,
} from "@/app/(portal)/systems/[id]/import/actions";
import type { SystemImportKind } from "@/lib/imports/system-import";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/card";
import { FormError, FormNotice } from "@/components/ui/field";
import { Table, Td, Th } from "@/components/ui/table";

function csvCell(v: string | number): string {
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The error report, made in the browser when asked for: UTF-8 with BOM, so Excel shows the Chinese. */
function downloadErrorReport(errors: SystemImportProblem[], header: string[], fileName: string): void {
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

// The columns shown in the preview table, per import.
const COLUMNS: Record<SystemImportKind, string[]> = {
  accounts: ["loginName", "ownerEmployeeNo", "status", "lastLogin", "basis"],
  grants: ["employeeNo", "loginName", "roleCode", "endsOn", "reason"],
  "last-login": ["loginName", "lastLogin"],
};

const ACTION_TONE = { create: "green", update: "blue", grant: "green", unchanged: "neutral", skip: "amber" } as const;

function PreviewTable({ preview }: { preview: SystemImportView }) {
  const t = useTranslations("accountImport");
  const columns = COLUMNS[preview.kind];
  return (
    <div className="space-y-2">
      {preview.rows.length < preview.total ? <p className="text-xs text-slate-500">{t("shownRows", { shown: preview.rows.length, total: preview.total })}</p> : null}
      <Table caption={t(`tabs.${preview.kind}`)}>
        <thead>
          <tr>
            <Th>{t("line")}</Th>
            {columns.map((c) => <Th key={c}>{t(`fields.${c}` as "fields.loginName")}</Th>)}
            <Th>{t("action")}</Th>
            <Th>{t("problems")}</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {preview.rows.map((r) => (
            <tr key={r.line} data-testid={`import-row-${r.line}`} className={r.problems.length ? "bg-red-50/40" : undefined}>
              <Td className="font-mono text-xs">{r.line}</Td>
              {columns.map((c) => <Td key={c} className="max-w-48 truncate" title={r.values[c]}>{r.values[c] ?? ""}</Td>)}
              <Td>{r.action ? <Badge tone={ACTION_TONE[r.action as keyof typeof ACTION_TONE] ?? "neutral"}>{t(`actions.${r.action}` as "actions.create")}</Badge> : null}</Td>
              <Td>
                {r.problems.length ? (
                  <ul className="space-y-0.5 text-xs text-red-700">
                    {r.problems.map((p, i) => <li key={i}><span className="font-medium">{p.field}</span>: {p.message}</li>)}
                  </ul>
                ) : null}
                {r.notes.length ? (
                  <ul className="space-y-0.5 text-xs text-amber-800">
                    {r.notes.map((n, i) => <li key={i}>{n}</li>)}
                  </ul>
                ) : null}
                {!r.problems.length && !r.notes.length ? <Badge tone="green">{t("ok")}</Badge> : null}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}

/**
 * Choose a file: it is checked at once (nothing written). The browser keeps the file and sends it
 * again to import, so nothing is stored on the server in between; the server checks it again.
 */
export function SystemImportForm({ kind, systemId, maxBytes }: { kind: SystemImportKind; systemId: string; maxBytes: number }) {
  const t = useTranslations("accountImport");
  const tImports = useTranslations("imports");
  const [file, setFile] = useState<File | null>(null);
  const [state, setState] = useState<SystemImportState>({});
  const [pending, startTransition] = useTransition();
  const [busy, setBusy] = useState<"preview" | "commit" | null>(null);
  const header = useMemo(() => [t("reportLine"), t("reportField"), t("reportError")], [t]);

  const run = (step: "preview" | "commit", f: File) => {
    const form = new FormData();
    form.set("kind", kind);
    form.set("systemId", systemId);
    form.set("file", f);
    setBusy(step);
    startTransition(async () => {
      const next = await (step === "preview" ? previewSystemImportAction : commitSystemImportAction)({}, form);
      setState(next);
      if (next.done !== undefined) setFile(null);
      setBusy(null);
    });
  };

  const choose = (f: File | undefined) => {
    setFile(f ?? null);
    if (!f) return setState({});
    if (f.size > maxBytes) return setState({ formError: tImports("fileErrors.TOO_LARGE", { max: maxBytes / 1024 / 1024 }) });
    run("preview", f);
  };

  const preview = state.preview;
  const inputId = `import-file-${kind}`;
  return (
    <div className="space-y-4">
      <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <label htmlFor={inputId} className="block text-sm font-medium text-slate-700">{t("chooseFile")}</label>
        <input
          id={inputId}
          key={state.done ?? "file"}
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
      {state.done !== undefined ? <FormNotice message={state.done} /> : null}
      {preview && state.done === undefined ? (
        <div className="space-y-3" data-testid="import-preview">
          <p className="text-sm text-slate-700">
            {t("summary", { fileName: preview.fileName, total: preview.total, valid: preview.validCount, errors: preview.errorCount })}{" "}
            {t("counts", preview.counts)}
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
              {preview.changing === 0 ? <p className="text-sm text-slate-600">{t("nothingToDo")}</p> : null}
              {file && preview.changing > 0 ? (
                <Button type="button" disabled={pending} onClick={() => run("commit", file)} data-testid="import-commit">
                  {t("importButton", { count: preview.changing })}
                </Button>
              ) : null}
            </div>
          )}
          <PreviewTable preview={preview} />
        </div>
      ) : null}
    </div>
  );
}
