"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { FormError, TextField } from "@/components/ui/field";
import type { ActionState } from "@/lib/http/action-state";
import { offboardPersonAction } from "@/app/(portal)/offboarding/actions";

export function OffboardPersonForm({ personId }: { personId: string }) {
  const t = useTranslations("offboarding.personForm");
  const [state, formAction, pending] = useActionState<ActionState, FormData>(offboardPersonAction, {});
  const e = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="space-y-3" noValidate aria-label={t("submit")}>
      <FormError message={state.formError} />
      <input type="hidden" name="personId" value={personId} />
      <TextField
        label={t("lastWorkingDay")}
        name="lastWorkingDay"
        type="date"
        hint={t("lastWorkingDayHint")}
        defaultValue={state.values?.lastWorkingDay}
        error={e.lastWorkingDay}
      />
      <TextField label={t("reason")} name="reason" required maxLength={500} defaultValue={state.values?.reason} error={e.reason} />
      <Button type="submit" variant="danger" disabled={pending}>
        {t("submit")}
      </Button>
    </form>
  );
}
