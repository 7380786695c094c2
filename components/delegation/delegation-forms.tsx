"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { createDelegationAction, revokeDelegationAction } from "@/app/(portal)/delegation/actions";
import { Button } from "@/components/ui/button";
import { FormError, FormNotice, TextField } from "@/components/ui/field";

/** Delegate my approvals (administrators may name the absent approver). */
export function CreateDelegationForm({ forOthers, today, maxDays }: { forOthers: boolean; today: string; maxDays: number }) {
  const t = useTranslations("delegation");
  const [state, action, pending] = useActionState(createDelegationAction, {});
  const v = (k: string) => (state.ok ? undefined : state.values?.[k]);
  return (
    <form action={action} className="space-y-3" noValidate aria-label={t("formTitle")}>
      <FormNotice message={state.notice} />
      <FormError message={state.formError} />
      {forOthers ? (
        <TextField
          label={t("delegator")}
          name="delegatorEmployeeNo"
          maxLength={32}
          defaultValue={v("delegatorEmployeeNo")}
          error={state.fieldErrors?.delegatorEmployeeNo}
          hint={t("delegatorHint")}
        />
      ) : null}
      <TextField
        label={t("delegate")}
        name="delegateEmployeeNo"
        required
        maxLength={32}
        defaultValue={v("delegateEmployeeNo")}
        error={state.fieldErrors?.delegateEmployeeNo}
        hint={t("delegateHint")}
      />
      <div className="grid grid-cols-2 gap-3">
        <TextField
          label={t("startsOn")}
          name="startsOn"
          type="date"
          required
          min={today}
          defaultValue={v("startsOn") ?? today}
          error={state.fieldErrors?.startsOn}
        />
        <TextField
          label={t("endsOn")}
          name="endsOn"
          type="date"
          required
          min={today}
          defaultValue={v("endsOn")}
          error={state.fieldErrors?.endsOn}
          hint={t("endsOnHint", { max: maxDays })}
        />
      </div>
      <TextField
        label={t("reason")}
        name="reason"
        required
        maxLength={500}
        defaultValue={v("reason")}
        error={state.fieldErrors?.reason}
        hint={t("reasonHint")}
      />
      <Button type="submit" disabled={pending}>
        {t("submit")}
      </Button>
    </form>
  );
}

export function RevokeDelegationForm({ delegationId, label }: { delegationId: string; label: string }) {
  const t = useTranslations("delegation");
  const [state, action, pending] = useActionState(revokeDelegationAction, {});
  return (
    <form action={action} className="flex flex-wrap items-start gap-2" noValidate aria-label={t("revokeLabel", { name: label })}>
      <input type="hidden" name="delegationId" value={delegationId} />
      <label className="sr-only" htmlFor={`revoke-${delegationId}`}>
        {t("revokeReason")}
      </label>
      <input
        id={`revoke-${delegationId}`}
        name="reason"
        maxLength={500}
        placeholder={t("revokeReason")}
        className="w-36 rounded-md border border-slate-300 px-2 py-1 text-xs"
      />
      <Button type="submit" variant="secondary" disabled={pending} className="!px-2 !py-1 text-xs">
        {t("revoke")}
      </Button>
      {state.formError ? (
        <p role="alert" className="w-full text-xs text-red-600">
          {state.formError}
        </p>
      ) : null}
    </form>
  );
}
