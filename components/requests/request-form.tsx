"use client";

import { useActionState, useState } from "react";
import { useTranslations } from "next-intl";
import { submitRequestAction } from "@/app/(portal)/requests/actions";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";

export type RequestFormProps = {
  roleId: string;
  subjectId: string;
  kind: "GRANT" | "ELEVATION";
  renewsGrantId?: string;
  // One key per rendered form: a double-clicked submit is one request.
  idempotencyKey: string;
  // Preset durations the rules allow, in days (GRANT) or hours (ELEVATION).
  presets: number[];
  allowPermanent: boolean;
  // The first and last day that may be picked (YYYY-MM-DD).
  minDate: string;
  maxDate: string;
  defaultDuration: string;
  disabled?: boolean;
};

export function RequestForm(p: RequestFormProps) {
  const t = useTranslations("requests.form");
  const [state, action, pending] = useActionState(submitRequestAction, {});
  const v = (k: string) => state.values?.[k];
  const [duration, setDuration] = useState(v("duration") ?? p.defaultDuration);
  const endError = state.fieldErrors?.endsAt;
  return (
    <form action={action} className="space-y-4" noValidate aria-label={t("title")} data-testid="request-form">
      <input type="hidden" name="roleId" value={p.roleId} />
      <input type="hidden" name="subjectId" value={p.subjectId} />
      <input type="hidden" name="kind" value={p.kind} />
      {p.renewsGrantId ? <input type="hidden" name="renewsGrantId" value={p.renewsGrantId} /> : null}
      <input type="hidden" name="idempotencyKey" value={p.idempotencyKey} />
      <FormError message={state.formError} />

      <div className="space-y-1">
        <label htmlFor="request-justification" className="block text-sm font-medium text-slate-700">
          {t("justification")}
        </label>
        <textarea
          id="request-justification"
          name="justification"
          required
          maxLength={2000}
          rows={3}
          defaultValue={v("justification")}
          aria-invalid={state.fieldErrors?.justification ? true : undefined}
          aria-describedby="request-justification-hint"
          className="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm aria-[invalid=true]:border-red-500"
        />
        {state.fieldErrors?.justification ? (
          <p role="alert" className="text-xs text-red-600">
            {state.fieldErrors.justification}
          </p>
        ) : (
          <p id="request-justification-hint" className="text-xs text-slate-500">
            {t("justificationHint")}
          </p>
        )}
      </div>

      {p.kind === "ELEVATION" ? (
        <div className="space-y-1">
          <label htmlFor="request-hours" className="block text-sm font-medium text-slate-700">
            {t("elevationHours")}
          </label>
          <select
            id="request-hours"
            name="hours"
            defaultValue={v("hours") ?? p.defaultDuration}
            className="rounded-md border border-slate-300 px-3 py-2 text-sm"
            aria-invalid={endError ? true : undefined}
          >
            {p.presets.map((h) => (
              <option key={h} value={h}>
                {t("hours", { count: h })}
              </option>
            ))}
          </select>
          {endError ? (
            <p role="alert" className="text-xs text-red-600">
              {endError}
            </p>
          ) : null}
        </div>
      ) : (
        <fieldset className="space-y-2" aria-describedby={endError ? "request-end-error" : undefined}>
          <legend className="text-sm font-medium text-slate-700">{t("duration")}</legend>
          <div className="flex flex-wrap gap-2">
            {p.presets.map((d) => (
              <label
                key={d}
                className="inline-flex items-center gap-1.5 rounded-md border border-slate-300 px-2.5 py-1.5 text-sm has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50"
              >
                <input
                  type="radio"
                  name="duration"
                  value={String(d)}
                  checked={duration === String(d)}
                  onChange={() => setDuration(String(d))}
                />
                {t("days", { count: d })}
              </label>
            ))}
            <label className="inline-flex items-center gap-1.5 rounded-md border border-slate-300 px-2.5 py-1.5 text-sm has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50">
              <input type="radio" name="duration" value="date" checked={duration === "date"} onChange={() => setDuration("date")} />
              {t("untilDate")}
            </label>
            {p.allowPermanent ? (
              <label className="inline-flex items-center gap-1.5 rounded-md border border-slate-300 px-2.5 py-1.5 text-sm has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50">
                <input
                  type="radio"
                  name="duration"
                  value="permanent"
                  checked={duration === "permanent"}
                  onChange={() => setDuration("permanent")}
                />
                {t("permanent")}
              </label>
            ) : null}
          </div>
          {duration === "date" ? (
            <div className="space-y-1">
              <label htmlFor="request-ends-on" className="block text-xs text-slate-600">
                {t("endsOn")}
              </label>
              <input
                id="request-ends-on"
                type="date"
                name="endsOn"
                min={p.minDate}
                max={p.maxDate}
                defaultValue={v("endsOn") ?? p.maxDate}
                className="rounded-md border border-slate-300 px-3 py-1.5 text-sm"
              />
            </div>
          ) : null}
          <p className="text-xs text-slate-500">{t("endsHint", { date: p.maxDate })}</p>
          {endError ? (
            <p id="request-end-error" role="alert" className="text-xs text-red-600">
              {endError}
            </p>
          ) : null}
        </fieldset>
      )}

      <Button type="submit" disabled={pending || p.disabled} data-testid="request-submit">
        {p.renewsGrantId ? t("submitRenewal") : t("submit")}
      </Button>
    </form>
  );
}
