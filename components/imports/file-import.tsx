import { useState, useTransition, type ReactNode } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";

/** The message namespace of an import page: its labels differ between the staff import and a system's imports. */
export type ImportNamespace = "imports" | "accountImport";

type ImportAction<S> = (prev: S, form: FormData) => Promise<S>;
type Step = "preview" | "commit";

/**
 * Choose a file: it is checked at once (nothing written). The browser keeps the file and sends it
 * again to import, so nothing is stored on the server in between; the server checks it again.
 * `fields` go with the file in each request; once `finished` holds the file is let go.
 */
export function useFileImport<S extends { formError?: string }>({
  maxBytes,
  fields = {},
  preview,
  commit,
  finished,
}: {
  maxBytes: number;
  fields?: Record<string, string>;
  preview: ImportAction<S>;
  commit: ImportAction<S>;
  finished: (state: S) => boolean;
}) {
  const tImports = useTranslations("imports");
  const [file, setFile] = useState<File | null>(null);
  const [state, setState] = useState<S>({} as S);
  const [pending, startTransition] = useTransition();
  const [busy, setBusy] = useState<Step | null>(null);

  const run = (step: Step, f: File) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    form.set("file", f);
    setBusy(step);
    startTransition(async () => {
      const next = await (step === "preview" ? preview : commit)({} as S, form);
      setState(next);
      if (finished(next)) setFile(null);
      setBusy(null);
    });
  };

  const choose = (f: File | undefined) => {
    setFile(f ?? null);
    if (!f) return setState({} as S);
    if (f.size > maxBytes) return setState({ formError: tImports("fileErrors.TOO_LARGE", { max: maxBytes / 1024 / 1024 }) } as S);
    run("preview", f);
  };

  return { file, state, pending, busy, run, choose };
}

export type FileImport<S extends { formError?: string }> = ReturnType<typeof useFileImport<S>>;

/** The file chooser, the "checking / importing" line and the file's error; `children` show the outcome below them. */
export function FileImportPanel<S extends { formError?: string }>({
  namespace,
  inputId,
  inputKey,
  upload,
  children,
}: {
  namespace: ImportNamespace;
  inputId: string;
  /** A new key empties the chooser (after an import). */
  inputKey?: string;
  upload: FileImport<S>;
  children: ReactNode;
}) {
  const t = useTranslations(namespace);
  const { file, pending, busy, run, choose } = upload;
  return (
    <div className="space-y-4">
      <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <label htmlFor={inputId} className="block text-sm font-medium text-slate-700">
          {t("chooseFile")}
        </label>
        <input
          id={inputId}
          key={inputKey}
          type="file"
          name="file"
          accept=".csv,.xlsx,.txt,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          disabled={pending}
          onChange={(e) => choose(e.target.files?.[0])}
          className="mt-1 block text-sm"
          data-testid="import-file"
        />
        <p className="mt-1 text-xs text-slate-500">{t("fileHint")}</p>
        {file && !pending ? (
          <Button type="button" variant="ghost" className="mt-2" onClick={() => run("preview", file)}>
            {t("recheck")}
          </Button>
        ) : null}
      </div>
      {pending ? (
        <p role="status" className="text-sm text-slate-600">
          {busy === "commit" ? t("importing") : t("checking")}
        </p>
      ) : null}
      <FormError message={upload.state.formError} />
      {children}
    </div>
  );
}
