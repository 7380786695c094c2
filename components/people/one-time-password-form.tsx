"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { issueOneTimePasswordAction, type OneTimePasswordState } from "@/app/(portal)/people/[id]/password-actions";
import { Button } from "@/components/ui/button";
import { FormError, TextField } from "@/components/ui/field";

/** HR / system administrators: issue a one-time password, shown once, to be changed at the first sign-in. */
export function OneTimePasswordForm({ personId, employeeNo, hasAccount }: { personId: string; employeeNo: string; hasAccount: boolean }) {
  const t = useTranslations("lifecycle.password");
  const [state, action, pending] = useActionState<OneTimePasswordState, FormData>(issueOneTimePasswordAction, {});
  return (
    <form action={action} className="space-y-3" noValidate aria-label={t("title")}>
      <input type="hidden" name="personId" value={personId} />
      <p className="text-xs text-slate-600">{t("hint")}</p>
      {hasAccount ? null : <p className="text-xs text-amber-700">{t("noAccountHint")}</p>}
      {state.password ? (
        <div role="status" className="space-y-1 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
          <p>{t("issued", { employeeNo })}</p>
          <output data-testid="one-time-password" className="block select-all rounded bg-white px-2 py-1 font-mono text-base tracking-wide">
            {state.password}
          </output>
          <p className="text-xs">{t("copyHint")}</p>
        </div>
      ) : null}
      <FormError message={state.formError} />
      <TextField
        label={t("reason")}
        name="reason"
        required
        maxLength={500}
        defaultValue={state.ok ? "" : state.values?.reason}
        error={state.fieldErrors?.reason}
      />
      <Button type="submit" variant="secondary" disabled={pending}>
        {t("issue")}
      </Button>
    </form>
  );
}
