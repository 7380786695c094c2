"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { cancelRequestAction, decideRequestAction } from "@/app/(portal)/requests/actions";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";

/** Approve or reject the active stage, with a comment (required to reject). */
export function DecideForm({ requestId, stageId, onBehalfOf }: { requestId: string; stageId: string; onBehalfOf: string | null }) {
  const t = useTranslations("requests.detail");
  const [state, action, pending] = useActionState(decideRequestAction, {});
  return (
    <form action={action} className="space-y-3" noValidate aria-label={t("decideTitle")} data-testid="decide-form">
      <input type="hidden" name="requestId" value={requestId} />
      <input type="hidden" name="stageId" value={stageId} />
      {onBehalfOf ? <p className="text-sm text-slate-600">{t("actingFor", { name: onBehalfOf })}</p> : null}
      <FormError message={state.formError} />
      <div className="space-y-1">
        <label htmlFor="decision-comment" className="block text-sm font-medium text-slate-700">
          {t("comment")}
        </label>
        <textarea
          id="decision-comment"
          name="comment"
          rows={2}
          maxLength={2000}
          defaultValue={state.values?.comment}
          aria-invalid={state.fieldErrors?.comment ? true : undefined}
          className="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm aria-[invalid=true]:border-red-500"
        />
        {state.fieldErrors?.comment ? (
          <p role="alert" className="text-xs text-red-600">
            {t("commentRequired")}
          </p>
        ) : (
          <p className="text-xs text-slate-500">{t("commentHint")}</p>
        )}
      </div>
      <div className="flex gap-2">
        <Button type="submit" name="outcome" value="APPROVE" disabled={pending} data-testid="approve">
          {t("approve")}
        </Button>
        <Button type="submit" name="outcome" value="REJECT" variant="danger" disabled={pending} data-testid="reject">
          {t("reject")}
        </Button>
      </div>
    </form>
  );
}

export function CancelForm({ requestId }: { requestId: string }) {
  const t = useTranslations("requests.detail");
  const [state, action, pending] = useActionState(cancelRequestAction, {});
  return (
    <form action={action} className="flex flex-wrap items-end gap-2" noValidate>
      <input type="hidden" name="requestId" value={requestId} />
      <div className="space-y-1">
        <label htmlFor="cancel-reason" className="block text-xs text-slate-600">
          {t("cancelReason")}
        </label>
        <input id="cancel-reason" name="reason" maxLength={500} className="w-64 rounded-md border border-slate-300 px-2 py-1.5 text-sm" />
      </div>
      <Button type="submit" variant="secondary" disabled={pending} data-testid="cancel-request">
        {t("cancel")}
      </Button>
      {state.formError ? (
        <p role="alert" className="w-full text-xs text-red-600">
          {state.formError}
        </p>
      ) : null}
    </form>
  );
}
