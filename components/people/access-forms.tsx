"use client";

import { useActionState, useRef } from "react";
import { useTranslations } from "next-intl";
import { grantRoleAction, revokeGrantAction } from "@/app/(portal)/people/[id]/grant-actions";
import { Button } from "@/components/ui/button";
import { FormError, FormNotice, SelectField, TextField } from "@/components/ui/field";
import { VaultGate } from "@/components/vault/vault-gate";

export function GrantRoleForm({ personId, roles }: { personId: string; roles: { id: string; label: string }[] }) {
  const t = useTranslations("access");
  const [state, action, pending] = useActionState(grantRoleAction, {});
  const v = (k: string) => (state.ok ? undefined : state.values?.[k]);
  // Vault mode (R14): an administrative role is granted once a security officer approves it live.
  // The approval's id goes in a hidden field and the form is sent again; the form's reset after the
  // action clears it.
  const vaultRoleId = state.vaultRequired ? v("roleId") : undefined;
  const formRef = useRef<HTMLFormElement>(null);
  const vaultField = useRef<HTMLInputElement>(null);
  const approved = (vaultRequestId: string) => {
    const form = formRef.current;
    if (!form || !vaultField.current) return;
    vaultField.current.value = vaultRequestId;
    // The form was reset after the first attempt; a select does not come back to the echoed value.
    const role = form.elements.namedItem("roleId");
    if (role instanceof HTMLSelectElement && vaultRoleId) role.value = vaultRoleId;
    form.requestSubmit();
  };
  return (
    <form ref={formRef} action={action} className="space-y-3" noValidate aria-label={t("grantTitle")}>
      <input type="hidden" name="personId" value={personId} />
      <input ref={vaultField} type="hidden" name="vaultRequestId" defaultValue="" />
      <FormNotice message={state.notice} />
      <FormError message={state.formError} />
      <SelectField
        key={v("roleId") ?? ""}
        label={t("role")}
        name="roleId"
        defaultValue={v("roleId") ?? ""}
        error={state.fieldErrors?.roleId}
      >
        <option value="">{t("choose")}</option>
        {roles.map((r) => (
          <option key={r.id} value={r.id}>
            {r.label}
          </option>
        ))}
      </SelectField>
      <TextField
        label={t("loginName")}
        name="loginName"
        maxLength={64}
        defaultValue={v("loginName")}
        error={state.fieldErrors?.loginName}
        hint={t("loginNameHint")}
      />
      <TextField
        label={t("endsOn")}
        name="endsOn"
        type="date"
        defaultValue={v("endsOn")}
        error={state.fieldErrors?.endsAt}
        hint={t("endsOnHint")}
      />
      <TextField label={t("reason")} name="reason" required maxLength={500} defaultValue={v("reason")} error={state.fieldErrors?.reason} />
      <TextField
        label={t("basis")}
        name="basis"
        maxLength={200}
        defaultValue={v("basis")}
        error={state.fieldErrors?.basis}
        hint={t("basisHint")}
      />
      {vaultRoleId ? (
        <VaultGate key={vaultRoleId} ask={{ scenario: "grant.administrative-role", personId, roleId: vaultRoleId }} onApproved={approved} />
      ) : null}
      <Button type="submit" disabled={pending}>
        {t("grant")}
      </Button>
    </form>
  );
}

export function RevokeGrantForm({ personId, grantId }: { personId: string; grantId: string }) {
  const t = useTranslations("access");
  const [state, action, pending] = useActionState(revokeGrantAction, {});
  return (
    <form action={action} className="flex flex-wrap items-start gap-2" noValidate>
      <input type="hidden" name="personId" value={personId} />
      <input type="hidden" name="grantId" value={grantId} />
      <label className="sr-only" htmlFor={`revoke-${grantId}`}>
        {t("revokeReason")}
      </label>
      <input
        id={`revoke-${grantId}`}
        name="reason"
        required
        maxLength={500}
        placeholder={t("revokeReason")}
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
