"use client";

import { useActionState, useState } from "react";
import { useTranslations } from "next-intl";
import { grantRoleAction, revokeRoleAction } from "@/app/(portal)/admin/portal-roles/actions";
import { Button } from "@/components/ui/button";
import { FormError, FormNotice, SelectField, TextField } from "@/components/ui/field";
import { PickerField } from "@/components/ui/combobox";

type Option = { id: string; label: string };

export function GrantRoleForm({ systems }: { systems: Option[] }) {
  const t = useTranslations("portalRoles");
  const tr = useTranslations("roles");
  const [state, action, pending] = useActionState(grantRoleAction, {});
  const [role, setRole] = useState(state.values?.role ?? "HR");
  return (
    <form action={action} className="space-y-3" noValidate aria-label={t("grantTitle")}>
      <FormNotice message={state.notice} />
      <FormError message={state.formError} />
      <TextField
        label={t("employeeNo")}
        name="employeeNo"
        required
        maxLength={64}
        defaultValue={state.ok ? "" : state.values?.employeeNo}
        error={state.fieldErrors?.employeeNo ?? state.fieldErrors?.personId}
      />
      <SelectField label={t("role")} name="role" value={role} onChange={(e) => setRole(e.target.value)} error={state.fieldErrors?.role}>
        {(["SYSTEM_ADMIN", "ACCOUNT_ADMIN", "APPROVER", "HR", "SECURITY_OFFICER"] as const).map((r) => (
          <option key={r} value={r}>
            {tr(r)}
          </option>
        ))}
      </SelectField>
      {role === "ACCOUNT_ADMIN" ? (
        <SelectField label={t("system")} name="systemId" defaultValue={state.values?.systemId ?? ""} error={state.fieldErrors?.systemId}>
          <option value="">{t("choose")}</option>
          {systems.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label}
            </option>
          ))}
        </SelectField>
      ) : null}
      {role === "APPROVER" ? (
        <PickerField label={t("orgUnit")} name="orgUnitId" source="/lookup/org-units" tree error={state.fieldErrors?.orgUnitId} />
      ) : null}
      <TextField
        label={t("reason")}
        name="reason"
        required
        maxLength={500}
        defaultValue={state.ok ? "" : state.values?.reason}
        error={state.fieldErrors?.reason}
      />
      <Button type="submit" disabled={pending}>
        {t("grant")}
      </Button>
    </form>
  );
}

export function RevokeRoleForm({ assignmentId }: { assignmentId: string }) {
  const t = useTranslations("portalRoles");
  const [state, action, pending] = useActionState(revokeRoleAction, {});
  return (
    <form action={action} className="flex flex-wrap items-start gap-2" noValidate>
      <input type="hidden" name="assignmentId" value={assignmentId} />
      <label className="sr-only" htmlFor={`reason-${assignmentId}`}>
        {t("reason")}
      </label>
      <input
        id={`reason-${assignmentId}`}
        name="reason"
        required
        maxLength={500}
        placeholder={t("reason")}
        className="w-40 rounded-md border border-slate-300 px-2 py-1 text-xs"
      />
      <Button type="submit" variant="secondary" disabled={pending} className="!px-2 !py-1 text-xs">
        {t("revoke")}
      </Button>
      {state.formError ? (
        <p role="alert" className="w-full text-xs text-red-600">
          {state.formError}
        </p>
      ) : null}
    </form>
  );
}
