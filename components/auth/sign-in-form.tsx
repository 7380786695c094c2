"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { passwordStepAction } from "@/app/(auth)/sign-in/actions";
import { Button } from "@/components/ui/button";
import { FormError, TextField } from "@/components/ui/field";

export function SignInForm() {
  const t = useTranslations("signIn");
  const [state, action, pending] = useActionState(passwordStepAction, {});
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormError message={state.formError} />
      <TextField
        label={t("login")}
        name="login"
        autoComplete="username"
        autoFocus
        required
        maxLength={200}
        defaultValue={state.values?.login}
        error={state.fieldErrors?.login}
        hint={t("loginHint")}
      />
      <TextField
        label={t("password")}
        name="password"
        type="password"
        autoComplete="current-password"
        required
        error={state.fieldErrors?.password}
      />
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? t("signingIn") : t("submit")}
      </Button>
    </form>
  );
}
