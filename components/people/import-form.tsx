"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { commitStaffImportAction, previewStaffImportAction, type ImportState } from "@/app/(portal)/people/import/actions";
import { buttonClass } from "@/components/ui/button";
import { FormNotice } from "@/components/ui/field";
import { FileImportPanel, useFileImport } from "@/components/imports/file-import";
import { ImportPreview } from "@/components/imports/import-preview";

const KEY_COLUMNS = ["employeeNo", "name", "orgCode", "jobTitle", "employmentType", "vendor"] as const;

/** The staff import: choose a file, see it checked, import it all or nothing. */
export function ImportForm({ maxBytes }: { maxBytes: number }) {
  const t = useTranslations("imports");
  const upload = useFileImport<ImportState>({
    maxBytes,
    preview: previewStaffImportAction,
    commit: commitStaffImportAction,
    finished: (next) => next.created !== undefined,
  });
  const { file, state, pending, run } = upload;
  const preview = state.preview;
  return (
    <FileImportPanel namespace="imports" inputId="import-file" upload={upload}>
      {state.created !== undefined ? (
        <div className="space-y-2">
          <FormNotice message={t("imported", { count: state.created })} />
          <Link className={buttonClass("secondary")} href="/people">
            {t("backToPeople")}
          </Link>
        </div>
      ) : null}
      {preview ? (
        <ImportPreview
          namespace="imports"
          preview={preview}
          caption={t("title")}
          columns={KEY_COLUMNS}
          commit={
            file
              ? { label: t("importButton", { count: preview.validCount }), disabled: pending, onClick: () => run("commit", file) }
              : undefined
          }
        />
      ) : null}
    </FileImportPanel>
  );
}
