"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { bulkApproveAction, type BulkState } from "@/app/(portal)/requests/actions";
import { Button } from "@/components/ui/button";
import { FormError, FormNotice } from "@/components/ui/field";
import { BULK_FORM_ID } from "./bulk-form-id";

/**
 * The bulk approval form. The inbox's checkboxes belong to it through form="bulk-approve"; only
 * non-sensitive, non-administrative items have one.
 */
export function BulkApproveForm({ labels }: { labels: Record<string, string> }) {
  const t = useTranslations("requests.inbox");
  const [state, action, pending] = useActionState<BulkState, FormData>(bulkApproveAction, {});
  return (
    <form
      id={BULK_FORM_ID}
      action={action}
      className="mb-4 space-y-2 rounded-lg border border-slate-200 bg-white p-3 shadow-sm"
      noValidate
      aria-label={t("bulkTitle")}
    >
      <div className="flex flex-wrap items-end gap-2">
        <div className="space-y-1">
          <label htmlFor="bulk-comment" className="block text-xs text-slate-600">
            {t("bulkComment")}
          </label>
          <input
            id="bulk-comment"
            name="comment"
            maxLength={2000}
            className="w-72 rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          />
        </div>
        <Button type="submit" disabled={pending} data-testid="bulk-approve">
          {t("bulkApprove")}
        </Button>
        <p className="text-xs text-slate-500">{t("bulkHint")}</p>
      </div>
      <FormError message={state.formError} />
      <FormNotice message={state.notice} />
      {state.results?.length ? (
        <ul className="space-y-0.5 text-xs" data-testid="bulk-results">
          {state.results.map((r) => (
            <li key={r.requestId} className={r.ok ? "text-emerald-800" : "text-red-700"}>
              {labels[r.requestId] ?? r.requestId}: {r.message}
            </li>
          ))}
        </ul>
      ) : null}
    </form>
  );
}
