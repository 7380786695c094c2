"use client";

import { startTransition, useActionState } from "react";
import { quickDecideReviewAction } from "@/app/(portal)/reviews/inbox/actions";
import { FormError } from "@/components/ui/field";
import type { ActionState } from "@/lib/http/action-state";
import { REVIEW_QUICK_FORM_ID } from "./bulk-form-id";

/**
 * The one form behind every row's Keep / End (the rows' buttons join it with form="…", so a page of 50
 * rows adds two buttons each, not 50 client forms). It carries the filter and page to come back to and
 * when the page was shown (time spent per decision, issue 12 §7); a refusal is said above the list.
 */
export function QuickDecideForm({
  filter,
  shownAt,
  label,
}: {
  filter: Record<string, string | undefined>;
  shownAt: string;
  label: string;
}) {
  const [state, action] = useActionState<ActionState, FormData>(quickDecideReviewAction, {});
  return (
    <form
      id={REVIEW_QUICK_FORM_ID}
      action={action}
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget, (e.nativeEvent as SubmitEvent).submitter);
        startTransition(() => action(data));
      }}
      aria-label={label}
      data-testid="review-quick"
      className={state.formError ? "mb-4" : undefined}
    >
      {Object.entries(filter).map(([k, v]) => (v ? <input key={k} type="hidden" name={k} value={v} /> : null))}
      <input type="hidden" name="shownAt" value={shownAt} />
      <FormError message={state.formError} />
    </form>
  );
}
