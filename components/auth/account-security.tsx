"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { regenerateCodesAction, signOutEverywhereAction, type CodesState } from "@/app/(portal)/account/actions";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { RecoveryCodes } from "./recovery-codes";

export function RegenerateCodes({ enrolled }: { enrolled: boolean }) {
  const t = useTranslations("account");
  const [state, action, pending] = useActionState<CodesState, FormData>(regenerateCodesAction, {});
  if (!enrolled) return <p className="text-sm text-slate-600">{t("mfaNotEnrolled")}</p>;
  return (
    <form action={action} className="space-y-3">
      <FormError message={state.formError} />
      {state.codes ? <RecoveryCodes codes={state.codes} /> : null}
      <Button type="submit" variant="secondary" disabled={pending}>
        {t("regenerateCodes")}
      </Button>
    </form>
  );
}

export function SignOutEverywhere() {
  const t = useTranslations("account");
  const [state, action, pending] = useActionState(signOutEverywhereAction, {});
  return (
    <form action={action} className="space-y-3">
      <FormError message={state.formError} />
      <p className="text-sm text-slate-600">{t("signOutEverywhereHint")}</p>
      <Button type="submit" variant="danger" disabled={pending}>
        {t("signOutEverywhere")}
      </Button>
    </form>
  );
}
