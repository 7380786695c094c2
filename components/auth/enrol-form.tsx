"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { continueAfterEnrolAction, enrolAction, type EnrolState } from "@/app/(auth)/sign-in/actions";
import { Button } from "@/components/ui/button";
import { FormError, TextField } from "@/components/ui/field";
import { RecoveryCodes } from "./recovery-codes";

export function EnrolForm({ qrDataUrl, secret }: { qrDataUrl: string; secret: string }) {
  const t = useTranslations("enrol");
  const [state, action, pending] = useActionState<EnrolState, FormData>(enrolAction, {});
  const [finish, finishAction, finishing] = useActionState(continueAfterEnrolAction, {});
  if (state.ok && state.recoveryCodes) {
    return (
      <div className="space-y-4">
        <RecoveryCodes codes={state.recoveryCodes} />
        <form action={finishAction}>
          <FormError message={finish.formError} />
          <Button type="submit" disabled={finishing} className="w-full">
            {t("continue")}
          </Button>
        </form>
      </div>
    );
  }
  return (
    <form action={action} className="space-y-4" noValidate>
      <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-700">
        <li>{t("step1")}</li>
        <li>{t("step2")}</li>
      </ol>
      {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL, nothing to optimise */}
      <img src={qrDataUrl} alt={t("qrAlt")} width={200} height={200} className="mx-auto rounded border border-slate-200" />
      <p className="text-center text-xs text-slate-600">
        {t("manual")}{" "}
        <code className="rounded bg-slate-100 px-1 py-0.5 font-mono break-all" data-testid="totp-secret">
          {secret}
        </code>
      </p>
      <FormError message={state.formError} />
      <TextField
        label={t("code")}
        name="code"
        autoComplete="one-time-code"
        inputMode="numeric"
        required
        maxLength={64}
        error={state.fieldErrors?.code}
      />
      <Button type="submit" disabled={pending} className="w-full">
        {t("verify")}
      </Button>
    </form>
  );
}
