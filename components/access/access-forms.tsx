"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { giveUpGrantAction } from "@/app/(portal)/access/actions";
import { endElevationAction } from "@/app/(portal)/elevations/actions";
import { Button } from "@/components/ui/button";

/** Give up one of my grants: a second step asks to confirm (and for an optional reason). */
export function GiveUpGrantForm({ grantId, label }: { grantId: string; label: string }) {
  const t = useTranslations("myAccess");
  const [state, action, pending] = useActionState(giveUpGrantAction, {});
  return (
    <details className="text-xs" open={!!state.formError}>
      <summary className="cursor-pointer whitespace-nowrap text-red-700">{t("giveUp")}</summary>
      <form
        action={action}
        className="mt-2 w-64 space-y-2 rounded-md border border-red-200 bg-red-50 p-2"
        noValidate
        aria-label={t("giveUpLabel", { role: label })}
      >
        <input type="hidden" name="grantId" value={grantId} />
        <p className="text-red-800">{t("giveUpConfirm", { role: label })}</p>
        <label className="sr-only" htmlFor={`give-up-${grantId}`}>
          {t("giveUpReason")}
        </label>
        <input
          id={`give-up-${grantId}`}
          name="reason"
          maxLength={500}
          placeholder={t("giveUpReason")}
          className="w-full rounded-md border border-slate-300 px-2 py-1"
        />
        <Button type="submit" variant="danger" disabled={pending} className="!px-2 !py-1 text-xs">
          {t("giveUpYes")}
        </Button>
        {state.formError ? (
          <p role="alert" className="text-red-700">
            {state.formError}
          </p>
        ) : null}
      </form>
    </details>
  );
}

/** A security officer ends a temporary elevation early, with a reason. */
export function EndElevationForm({ grantId, label }: { grantId: string; label: string }) {
  const t = useTranslations("elevations");
  const [state, action, pending] = useActionState(endElevationAction, {});
  return (
    <form action={action} className="flex flex-wrap items-start gap-2" noValidate aria-label={t("endLabel", { name: label })}>
      <input type="hidden" name="grantId" value={grantId} />
      <label className="sr-only" htmlFor={`end-${grantId}`}>
        {t("endReason")}
      </label>
      <input
        id={`end-${grantId}`}
        name="reason"
        required
        maxLength={500}
        placeholder={t("endReason")}
        defaultValue={state.values?.reason}
        className="w-40 rounded-md border border-slate-300 px-2 py-1 text-xs"
      />
      <Button type="submit" variant="danger" disabled={pending} className="!px-2 !py-1 text-xs">
        {t("end")}
      </Button>
      {state.formError ? (
        <p role="alert" className="w-full text-xs text-red-600">
          {state.fieldErrors?.reason ?? state.formError}
        </p>
      ) : null}
    </form>
  );
}
