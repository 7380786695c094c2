"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { updateRequestSettingsAction } from "@/app/(portal)/admin/settings/request-actions";
import { Button } from "@/components/ui/button";
import { FormError, FormNotice, TextField } from "@/components/ui/field";

const FIELDS = [
  ["maxSensitiveDays", 1, 366],
  ["maxDays", 1, 3660],
  ["maxElevationHours", 1, 720],
  ["reminderAfterHours", 1, 336],
  ["escalateAfterDays", 1, 60],
  ["expireAfterDays", 1, 180],
  ["moverReviewDays", 1, 90],
] as const;

export function RequestSettingsForm({ settings }: { settings: Record<(typeof FIELDS)[number][0], number> }) {
  const t = useTranslations("requests.settings");
  const [state, action, pending] = useActionState(updateRequestSettingsAction, {});
  const v = (k: string) => state.values?.[k];
  return (
    <form action={action} className="space-y-3" noValidate aria-label={t("title")} data-testid="request-settings">
      <FormNotice message={state.notice} />
      <FormError message={state.formError} />
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {FIELDS.map(([name, min, max]) => (
          <TextField
            key={name}
            label={t(name)}
            name={name}
            type="number"
            min={min}
            max={max}
            required
            defaultValue={v(name) ?? String(settings[name])}
            error={state.fieldErrors?.[name]}
          />
        ))}
      </div>
      <TextField label={t("reason")} name="reason" required maxLength={500} defaultValue={v("reason")} error={state.fieldErrors?.reason} />
      <Button type="submit" disabled={pending}>
        {t("save")}
      </Button>
    </form>
  );
}
