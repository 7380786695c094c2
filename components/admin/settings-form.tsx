"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { updateSettingsAction } from "@/app/(portal)/admin/settings/actions";
import { Button } from "@/components/ui/button";
import { FormError, FormNotice, SelectField, TextField } from "@/components/ui/field";
import type { SecuritySettings } from "@/lib/settings/security-settings";

const ROLES = ["SYSTEM_ADMIN", "ACCOUNT_ADMIN", "APPROVER", "HR", "SECURITY_OFFICER", "STAFF"] as const;

export function SettingsForm({ settings, rootApproverEmployeeNo }: { settings: SecuritySettings; rootApproverEmployeeNo: string }) {
  const t = useTranslations("settings");
  const tr = useTranslations("roles");
  const [state, action, pending] = useActionState(updateSettingsAction, {});
  const v = (k: Exclude<keyof SecuritySettings, "rootApproverId">) => state.values?.[k] ?? String(settings[k]);
  const numberField = (name: Exclude<keyof SecuritySettings, "rootApproverId">, min: number, max: number) => (
    <TextField
      label={t(`fields.${name}`)}
      name={name}
      type="number"
      min={min}
      max={max}
      required
      defaultValue={v(name)}
      error={state.fieldErrors?.[name]}
    />
  );
  return (
    <form action={action} className="max-w-2xl space-y-5" noValidate>
      <FormNotice message={state.notice} />
      <FormError message={state.formError} />
      <SelectField
        label={t("fields.passwordProfile")}
        name="passwordProfile"
        defaultValue={v("passwordProfile")}
        error={state.fieldErrors?.passwordProfile}
        hint={t("profileHint")}
      >
        <option value="modern">{t("profiles.modern")}</option>
        <option value="operator">{t("profiles.operator")}</option>
      </SelectField>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700">{t("fields.mfaRequiredRoles")}</legend>
        <div className="grid grid-cols-2 gap-2">
          {ROLES.map((r) => (
            <label key={r} className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="mfaRequiredRoles" value={r} defaultChecked={settings.mfaRequiredRoles.includes(r)} />
              {tr(r)}
            </label>
          ))}
        </div>
        {state.fieldErrors?.mfaRequiredRoles ? (
          <p role="alert" className="text-xs text-red-600">
            {state.fieldErrors.mfaRequiredRoles}
          </p>
        ) : null}
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        {numberField("lockoutThreshold", 3, 20)}
        {numberField("lockoutMinutes", 1, 1440)}
        {numberField("ipThrottleThreshold", 5, 1000)}
        {numberField("ipThrottleWindowMinutes", 1, 1440)}
        {numberField("idleTimeoutMinutes", 5, 480)}
        {numberField("absoluteTimeoutHours", 1, 72)}
      </div>
      <TextField
        label={t("fields.rootApproverEmployeeNo")}
        name="rootApproverEmployeeNo"
        maxLength={32}
        defaultValue={state.values?.rootApproverEmployeeNo ?? rootApproverEmployeeNo}
        error={state.fieldErrors?.rootApproverEmployeeNo}
        hint={t("rootApproverHint")}
      />
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
