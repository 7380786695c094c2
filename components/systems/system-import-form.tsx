"use client";

import { useTranslations } from "next-intl";
import { commitSystemImportAction, previewSystemImportAction, type SystemImportState } from "@/app/(portal)/systems/[id]/import/actions";
import type { SystemImportKind } from "@/lib/imports/system-import";
import { Badge } from "@/components/ui/card";
import { FormNotice } from "@/components/ui/field";
import { FileImportPanel, useFileImport } from "@/components/imports/file-import";
import { ImportPreview } from "@/components/imports/import-preview";

// The columns shown in the preview table, per import.
const COLUMNS: Record<SystemImportKind, string[]> = {
  accounts: ["loginName", "ownerEmployeeNo", "status", "lastLogin", "basis"],
  grants: ["employeeNo", "loginName", "roleCode", "endsOn", "reason"],
  "last-login": ["loginName", "lastLogin"],
};

const ACTION_TONE = { create: "green", update: "blue", grant: "green", unchanged: "neutral", skip: "amber" } as const;

/** One of a system's imports (accounts, grants, last logins): choose a file, see it checked, import it all or nothing. */
export function SystemImportForm({ kind, systemId, maxBytes }: { kind: SystemImportKind; systemId: string; maxBytes: number }) {
  const t = useTranslations("accountImport");
  const upload = useFileImport<SystemImportState>({
    maxBytes,
    fields: { kind, systemId },
    preview: previewSystemImportAction,
    commit: commitSystemImportAction,
    finished: (next) => next.done !== undefined,
  });
  const { file, state, pending, run } = upload;
  const preview = state.preview;
  return (
    <FileImportPanel namespace="accountImport" inputId={`import-file-${kind}`} inputKey={state.done ?? "file"} upload={upload}>
      {state.done !== undefined ? <FormNotice message={state.done} /> : null}
      {preview && state.done === undefined ? (
        <ImportPreview
          namespace="accountImport"
          preview={preview}
          summaryDetail={t("counts", preview.counts)}
          readyNote={preview.changing === 0 ? t("nothingToDo") : undefined}
          commit={
            file && preview.changing > 0
              ? { label: t("importButton", { count: preview.changing }), disabled: pending, onClick: () => run("commit", file) }
              : undefined
          }
          caption={t(`tabs.${preview.kind}`)}
          columns={COLUMNS[preview.kind]}
          extraColumn={{
            header: t("action"),
            cell: (r) =>
              r.action ? (
                <Badge tone={ACTION_TONE[r.action as keyof typeof ACTION_TONE] ?? "neutral"}>
                  {t(`actions.${r.action}` as "actions.create")}
                </Badge>
              ) : null,
          }}
        />
      ) : null}
    </FileImportPanel>
  );
}
