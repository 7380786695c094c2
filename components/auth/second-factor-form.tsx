"use client";

import Link from "next/link";
import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { secondFactorAction } from "@/app/(auth)/sign-in/actions";
import { Button } from "@/components/ui/button";
import { FormError, TextField } from "@/components/ui/field";

export function SecondFactorForm() {
  const t = useTranslations("mfa");
  const [state, action, pending] = useActionState(secondFactorAction, {});
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormError message={state.formError} />
      <TextField
        label={t("code")}
        name="code"
        autoComplete="one-time-code"
        inputMode="text"
        autoFocus
        required
        maxLength={64}
        error={state.fieldErrors?.code}
        hint={t("codeHint")}
      />
      <Button type="submit" disabled={pending} className="w-full">
        {t("verify")}
      </Button>
      <p className="text-center text-sm">
        <Link href="/sign-in" prefetch={false} className="text-brand-700 hover:underline">
          {t("startOver")}
        </Link>
      </p>
    </form>
  );
}
