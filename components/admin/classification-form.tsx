"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { updateClassificationAction } from "@/app/(portal)/admin/settings/classification-actions";
import { Button } from "@/components/ui/button";
import { FormError, FormNotice, TextField } from "@/components/ui/field";

const LEVELS = ["EXTREME", "SENSITIVE", "RELATIVE", "LOW"] as const;

/** System administrators: which sensitivity levels make a permission sensitive (setting "classification"). */
export function ClassificationForm({ sensitiveLevels }: { sensitiveLevels: string[] }) {
  const t = useTranslations("lifecycle.classification");
  const tc = useTranslations("catalog");
  const [state, action, pending] = useActionState(updateClassificationAction, {});
  return (
    <form action={action} className="max-w-2xl space-y-4" noValidate aria-label={t("title")}>
      <p className="text-sm text-slate-600">{t("description")}</p>
      <FormNotice message={state.notice} />
      <FormError message={state.formError} />
      <fieldset className="space-y-2" aria-invalid={state.fieldErrors?.sensitiveLevels ? true : undefined}>
        <legend className="text-sm font-medium text-slate-700">{t("levels")}</legend>
        <div className="grid grid-cols-2 gap-2">
          {LEVELS.map((l) => (
            <label key={l} className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="sensitiveLevels" value={l} defaultChecked={sensitiveLevels.includes(l)} />
              {tc(`sensitivities.${l}`)}
            </label>
          ))}
        </div>
        {state.fieldErrors?.sensitiveLevels ? (
          <p role="alert" className="text-xs text-red-600">
            {state.fieldErrors.sensitiveLevels}
          </p>
        ) : null}
      </fieldset>
      <TextField
        label={t("reason")}
        name="reason"
        required
        maxLength={500}
        defaultValue={state.ok ? "" : state.values?.reason}
        error={state.fieldErrors?.reason}
        hint={t("reasonHint")}
      />
      <Button type="submit" disabled={pending}>
        {t("save")}
      </Button>
    </form>
  );
}
