"use client";

import { startTransition, useActionState } from "react";
import { useTranslations } from "next-intl";
import { bulkDecideReviewAction, type BulkReviewState } from "@/app/(portal)/reviews/inbox/actions";
import { Button } from "@/components/ui/button";
import { FormError, FormNotice } from "@/components/ui/field";
import { REVIEW_BULK_FORM_ID } from "./bulk-form-id";

/**
 * One decision with one justification for the ticked items or every open item matching the filter.
 * "Accept recommendations" appears only when the filter holds recommended items, with how many.
 */
export function BulkReviewForm({
  filter,
  matching,
  recommended,
  filterAllowed,
}: {
  filter: { campaign?: string; system?: string; recommendation?: string; sensitive?: string; q?: string };
  matching: number;
  recommended: number;
  filterAllowed: boolean;
}) {
  const t = useTranslations("reviewsInbox.bulk");
  const [state, action, pending] = useActionState<BulkReviewState, FormData>(bulkDecideReviewAction, {});
  return (
    <form
      id={REVIEW_BULK_FORM_ID}
      action={action}
      // Submitted by hand so React does not reset the form after a refusal: the ticked rows (form=…) stay ticked.
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget, (e.nativeEvent as SubmitEvent).submitter);
        startTransition(() => action(data));
      }}
      noValidate
      aria-label={t("title")}
      className="mb-4 space-y-2 rounded-lg border border-slate-200 bg-white p-3 shadow-sm"
      data-testid="review-bulk"
    >
      {Object.entries(filter).map(([k, v]) => (v ? <input key={k} type="hidden" name={k} value={v} /> : null))}
      <fieldset className="flex flex-wrap gap-4 text-sm">
        <legend className="mb-1 text-xs text-slate-600">{t("scope")}</legend>
        <label className="flex items-center gap-1">
          <input type="radio" name="scope" value="selected" defaultChecked />
          {t("scopeSelected")}
        </label>
        {filterAllowed ? (
          <label className="flex items-center gap-1">
            <input type="radio" name="scope" value="filter" data-testid="bulk-scope-filter" />
            {t("scopeFilter", { count: matching })}
          </label>
        ) : (
          <p className="text-xs text-slate-500">{t("scopeFilterNoSearch")}</p>
        )}
      </fieldset>
      <div className="flex flex-wrap items-end gap-2">
        <div className="space-y-1">
          <label htmlFor="review-bulk-comment" className="block text-xs text-slate-600">
            {t("comment")}
          </label>
          <input
            id="review-bulk-comment"
            name="comment"
            maxLength={500}
            defaultValue={state.values?.comment}
            aria-invalid={state.fieldErrors?.comment ? true : undefined}
            className="w-80 rounded-md border border-slate-300 px-2 py-1.5 text-sm aria-[invalid=true]:border-red-500"
          />
        </div>
        <Button type="submit" name="decision" value="KEEP" variant="secondary" disabled={pending} data-testid="bulk-keep">
          {t("keep")}
        </Button>
        <Button type="submit" name="decision" value="END" variant="danger" disabled={pending} data-testid="bulk-end">
          {t("end")}
        </Button>
        {recommended > 0 ? (
          <Button type="submit" name="decision" value="RECOMMENDED" disabled={pending} data-testid="bulk-accept" title={t("acceptHint")}>
            {t("accept", { count: recommended })}
          </Button>
        ) : null}
      </div>
      {state.fieldErrors?.comment ? (
        <p role="alert" className="text-xs text-red-600">
          {state.fieldErrors.comment}
        </p>
      ) : null}
      <FormError message={state.formError} />
      <FormNotice message={state.notice} />
    </form>
  );
}
