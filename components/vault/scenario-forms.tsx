"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { createScenarioAction, updateScenarioAction } from "@/app/(portal)/admin/vault/actions";
import { Button } from "@/components/ui/button";
import { FormError, FormNotice, SelectField, TextField } from "@/components/ui/field";

const ROLES = ["SECURITY_OFFICER", "SYSTEM_ADMIN", "ACCOUNT_ADMIN", "APPROVER", "HR"] as const;

export type ScenarioFormValues = {
  id: string;
  code: string;
  name: string;
  nameEn: string;
  description: string;
  approverRoles: string[];
  approverEmployeeNos: string;
  validForSeconds: number;
  isActive: boolean;
  builtIn: boolean;
};

function ApproverFields({
  values,
  errors,
  fallback,
}: {
  values?: Record<string, string>;
  errors?: Record<string, string>;
  fallback?: ScenarioFormValues;
}) {
  const t = useTranslations("vault.admin");
  const tr = useTranslations("roles");
  const v = (k: string, d = "") => values?.[k] ?? d;
  return (
    <>
      <TextField label={t("name")} name="name" required maxLength={100} defaultValue={v("name", fallback?.name)} error={errors?.name} />
      <TextField label={t("nameEn")} name="nameEn" maxLength={100} defaultValue={v("nameEn", fallback?.nameEn)} error={errors?.nameEn} />
      <TextField
        label={t("descriptionField")}
        name="description"
        maxLength={500}
        defaultValue={v("description", fallback?.description)}
        error={errors?.description}
      />
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium text-slate-700">{t("approverRoles")}</legend>
        <div className="flex flex-wrap gap-3">
          {ROLES.map((r) => (
            <label key={r} className="flex items-center gap-1 text-sm">
              <input
                type="checkbox"
                name="approverRoles"
                value={r}
                defaultChecked={fallback ? fallback.approverRoles.includes(r) : r === "SECURITY_OFFICER"}
              />
              {tr(r)}
            </label>
          ))}
        </div>
        {errors?.approverRoles ? (
          <p role="alert" className="text-xs text-red-600">
            {errors.approverRoles}
          </p>
        ) : null}
      </fieldset>
      <TextField
        label={t("approverPeople")}
        name="approverEmployeeNos"
        maxLength={1000}
        defaultValue={v("approverEmployeeNos", fallback?.approverEmployeeNos)}
        error={errors?.approverEmployeeNos}
      />
      <TextField
        label={t("validFor")}
        name="validForSeconds"
        type="number"
        min={30}
        max={3600}
        required
        defaultValue={v("validForSeconds", String(fallback?.validForSeconds ?? 300))}
        error={errors?.validForSeconds}
      />
      <TextField label={t("reason")} name="reason" required maxLength={500} defaultValue={v("reason")} error={errors?.reason} />
    </>
  );
}

export function CreateScenarioForm({ systems }: { systems: { id: string; label: string }[] }) {
  const t = useTranslations("vault.admin");
  const [state, action, pending] = useActionState(createScenarioAction, {});
  const values = state.ok ? undefined : state.values;
  return (
    <form action={action} className="space-y-3" noValidate aria-label={t("create")}>
      <FormNotice message={state.notice} />
      <FormError message={state.formError} />
      <TextField
        label={t("code")}
        name="code"
        required
        maxLength={100}
        defaultValue={values?.code}
        error={state.fieldErrors?.code}
        placeholder="CRM:bulk-export"
      />
      <SelectField label={t("system")} name="systemId" defaultValue={values?.systemId ?? ""} error={state.fieldErrors?.systemId}>
        <option value="">{t("portal")}</option>
        {systems.map((s) => (
          <option key={s.id} value={s.id}>
            {s.label}
          </option>
        ))}
      </SelectField>
      <ApproverFields values={values} errors={state.fieldErrors} />
      <Button type="submit" disabled={pending}>
        {t("createSubmit")}
      </Button>
    </form>
  );
}

export function EditScenarioForm({ scenario }: { scenario: ScenarioFormValues }) {
  const t = useTranslations("vault.admin");
  const [state, action, pending] = useActionState(updateScenarioAction, {});
  const values = state.ok ? undefined : state.values;
  return (
    <form action={action} className="space-y-3" noValidate aria-label={`${t("edit")} ${scenario.code}`}>
      <input type="hidden" name="scenarioId" value={scenario.id} />
      <FormNotice message={state.notice} />
      <FormError message={state.formError} />
      <ApproverFields values={values} errors={state.fieldErrors} fallback={scenario} />
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="isActive" defaultChecked={scenario.isActive} disabled={scenario.builtIn} />
        {t("active")}
        {scenario.builtIn ? <input type="hidden" name="isActive" value="on" /> : null}
      </label>
      {state.fieldErrors?.isActive ? (
        <p role="alert" className="text-xs text-red-600">
          {state.fieldErrors.isActive}
        </p>
      ) : null}
      <Button type="submit" disabled={pending}>
        {t("save")}
      </Button>
    </form>
  );
}
