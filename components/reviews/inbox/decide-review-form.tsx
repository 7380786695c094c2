"use client";

import { useActionState, useState } from "react";
import { useTranslations } from "next-intl";
import { decideReviewItemAction, reassignReviewItemAction } from "@/app/(portal)/reviews/inbox/actions";
import type { ActionState } from "@/lib/http/action-state";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { PickerField } from "@/components/ui/combobox";

/**
 * Keep, end or shorten one review item, with a comment (required to keep a sensitive item: the form
 * says so before anyone submits). `shownAt` is when the page was rendered: the time spent deciding.
 */
export function DecideReviewForm({
  itemId,
  shownAt,
  commentRequiredToKeep,
  canShorten,
  onBehalfOf,
}: {
  itemId: string;
  shownAt: string;
  commentRequiredToKeep: boolean;
  canShorten: boolean;
  onBehalfOf: string | null;
}) {
  const t = useTranslations("reviewItem.form");
  const [state, action, pending] = useActionState<ActionState, FormData>(decideReviewItemAction, {});
  const [decision, setDecision] = useState(state.values?.decision ?? "KEEP");
  const error = (f: string) => state.fieldErrors?.[f];
  return (
    <form action={action} noValidate className="space-y-3" aria-label={t("decide")} data-testid="review-decide">
      <input type="hidden" name="itemId" value={itemId} />
      <input type="hidden" name="shownAt" value={shownAt} />
      {onBehalfOf ? <p className="text-sm text-slate-600">{t("actingFor", { name: onBehalfOf })}</p> : null}
      <FormError message={state.formError} />
      <fieldset className="space-y-1 text-sm">
        <legend className="mb-1 font-medium text-slate-700">{t("decision")}</legend>
        {(["KEEP", "END", ...(canShorten ? ["SHORTEN"] : [])] as const).map((d) => (
          <label key={d} className="flex items-center gap-2">
            <input type="radio" name="decision" value={d} checked={decision === d} onChange={() => setDecision(d)} />
            {t(d === "KEEP" ? "keep" : d === "END" ? "end" : "shorten")}
          </label>
        ))}
      </fieldset>
      {decision === "SHORTEN" ? (
        <div className="space-y-1">
          <label htmlFor="review-new-end" className="block text-sm font-medium text-slate-700">
            {t("newEndOn")}
          </label>
          <input
            id="review-new-end"
            type="date"
            name="newEndOn"
            defaultValue={state.values?.newEndOn}
            aria-invalid={error("newEndOn") ? true : undefined}
            className="rounded-md border border-slate-300 px-2 py-1.5 text-sm aria-[invalid=true]:border-red-500"
          />
          {error("newEndOn") ? (
            <p role="alert" className="text-xs text-red-600">
              {error("newEndOn")}
            </p>
          ) : null}
        </div>
      ) : null}
      <div className="space-y-1">
        <label htmlFor="review-comment" className="block text-sm font-medium text-slate-700">
          {t("comment")}
        </label>
        <textarea
          id="review-comment"
          name="comment"
          rows={3}
          maxLength={1000}
          defaultValue={state.values?.comment}
          aria-invalid={error("comment") ? true : undefined}
          aria-describedby="review-comment-hint"
          className="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm aria-[invalid=true]:border-red-500"
        />
        <p id="review-comment-hint" className={`text-xs ${error("comment") ? "text-red-600" : "text-slate-500"}`}>
          {error("comment") ?? (commentRequiredToKeep && decision === "KEEP" ? t("commentRequired") : t("commentHint"))}
        </p>
      </div>
      <Button type="submit" disabled={pending} data-testid="review-submit">
        {t("submit")}
      </Button>
    </form>
  );
}

/** Hand the item to another eligible person (typeahead over people), with a reason. */
export function ReassignReviewForm({ itemId }: { itemId: string }) {
  const t = useTranslations("reviewItem.form");
  const [state, action, pending] = useActionState<ActionState, FormData>(reassignReviewItemAction, {});
  return (
    <form action={action} noValidate className="space-y-3" aria-label={t("reassign")} data-testid="review-reassign">
      <input type="hidden" name="itemId" value={itemId} />
      <FormError message={state.formError} />
      <PickerField label={t("reassignTo")} name="reviewerId" source="/reviews/items/reviewers" error={state.fieldErrors?.reviewerId} />
      <div className="space-y-1">
        <label htmlFor="reassign-reason" className="block text-sm font-medium text-slate-700">
          {t("reassignReason")}
        </label>
        <input
          id="reassign-reason"
          name="reason"
          maxLength={500}
          defaultValue={state.values?.reason}
          aria-invalid={state.fieldErrors?.reason ? true : undefined}
          className="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm aria-[invalid=true]:border-red-500"
        />
        {state.fieldErrors?.reason ? (
          <p role="alert" className="text-xs text-red-600">
            {state.fieldErrors.reason}
          </p>
        ) : null}
      </div>
      <Button type="submit" variant="secondary" disabled={pending} data-testid="reassign-submit">
        {t("reassignSubmit")}
      </Button>
    </form>
  );
}
