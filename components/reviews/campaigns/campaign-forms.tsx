"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { FormError, FormNotice, TextField } from "@/components/ui/field";
import type { ActionState } from "@/lib/http/action-state";
import { retireDefinitionAction, startCampaignNowAction } from "@/app/(portal)/reviews/new/actions";
import { closeCampaignAction } from "@/app/(portal)/reviews/[id]/actions";

/** "Start now": another campaign of a definition at once (its progress opens). */
export function StartNowForm({ definitionId, label }: { definitionId: string; label: string }) {
  const t = useTranslations("reviewsCampaigns.list");
  const [state, formAction, pending] = useActionState<ActionState, FormData>(startCampaignNowAction, {});
  return (
    <form action={formAction} className="space-y-1" aria-label={`${t("startNow")} ${label}`}>
      <FormError message={state.formError} />
      <input type="hidden" name="definitionId" value={definitionId} />
      <Button type="submit" variant="secondary" disabled={pending}>
        {t("startNow")}
      </Button>
    </form>
  );
}

/** Retiring a definition, with a reason (its campaigns stay: records are kept, R12). */
export function RetireDefinitionForm({ definitionId, label }: { definitionId: string; label: string }) {
  const t = useTranslations("reviewsCampaigns.list");
  const [state, formAction, pending] = useActionState<ActionState, FormData>(retireDefinitionAction, {});
  const e = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="flex flex-wrap items-end gap-2" noValidate aria-label={`${t("retire")} ${label}`}>
      <FormNotice message={state.notice} />
      <FormError message={state.formError} />
      <input type="hidden" name="definitionId" value={definitionId} />
      <TextField label={t("retireReason")} name="reason" required maxLength={500} defaultValue={state.values?.reason} error={e.reason} />
      <Button type="submit" variant="danger" disabled={pending}>
        {t("retire")}
      </Button>
    </form>
  );
}

/** Closing a campaign before its deadline: defaults and applying, as the deadline would. */
export function CloseCampaignForm({ campaignId }: { campaignId: string }) {
  const t = useTranslations("reviewsCampaigns.detail");
  const [state, formAction, pending] = useActionState<ActionState, FormData>(closeCampaignAction, {});
  const e = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="space-y-3" noValidate aria-label={t("close")}>
      <FormNotice message={state.notice} />
      <FormError message={state.formError} />
      <input type="hidden" name="campaignId" value={campaignId} />
      <TextField
        label={t("closeReason")}
        name="reason"
        required
        maxLength={500}
        hint={t("closeHint")}
        defaultValue={state.values?.reason}
        error={e.reason}
      />
      <Button type="submit" variant="danger" disabled={pending}>
        {t("close")}
      </Button>
    </form>
  );
}
