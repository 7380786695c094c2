"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { createSystemAction, saveJobRoleAction, savePermissionAction, updateSystemAction } from "@/app/(portal)/systems/actions";
import { Button } from "@/components/ui/button";
import { FormError, FormNotice, SelectField, TextField } from "@/components/ui/field";
import { PickerField, type ComboOption } from "@/components/ui/combobox";
import type { ActionState } from "@/lib/http/action-state";

const DATA_KINDS = ["NONE", "IDENTITY", "USER_DATA", "SERVICE_DATA"] as const;
const SENSITIVITIES = ["EXTREME", "SENSITIVE", "RELATIVE", "LOW"] as const;
const OPERATIONS = [
  "QUERY",
  "ADD",
  "DELETE",
  "MODIFY",
  "BULK_IMPORT",
  "BULK_EXPORT",
  "BULK_SERVICE",
  "BULK_DOWNLOAD",
  "SCREEN_COPY",
] as const;

function Checkbox({ name, label, defaultChecked }: { name: string; label: string; defaultChecked?: boolean }) {
  return (
    <label className="flex items-center gap-2 text-sm text-slate-700">
      <input type="checkbox" name={name} defaultChecked={defaultChecked} />
      {label}
    </label>
  );
}

function useForm(action: (prev: ActionState, form: FormData) => Promise<ActionState>) {
  const [state, formAction, pending] = useActionState(action, {});
  const v = (name: string, fallback?: string | null) =>
    state.ok ? (fallback ?? undefined) : (state.values?.[name] ?? fallback ?? undefined);
  return { state, formAction, pending, v };
}

type SystemValues = {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  description: string | null;
  environment: string;
  kind: string;
  ownerOrgId: string;
  isConnected: boolean;
};

/** `owner`: the owning unit's label for the org picker (a typeahead: the estate's units are not sent). */
export function SystemForm({ system, owner }: { system?: SystemValues; owner?: ComboOption | null }) {
  const t = useTranslations("systems");
  const tc = useTranslations("catalog");
  const { state, formAction, pending, v } = useForm(system ? updateSystemAction : createSystemAction);
  return (
    <form action={formAction} className="space-y-3" noValidate aria-label={system ? t("editSystem") : t("newSystem")}>
      <FormNotice message={state.notice} />
      <FormError message={state.formError} />
      {system ? (
        <input type="hidden" name="systemId" value={system.id} />
      ) : (
        <TextField
          label={t("code")}
          name="code"
          required
          maxLength={40}
          defaultValue={v("code")}
          error={state.fieldErrors?.code}
          hint={t("codeHint")}
        />
      )}
      <TextField
        label={t("name")}
        name="name"
        required
        maxLength={100}
        defaultValue={v("name", system?.name)}
        error={state.fieldErrors?.name}
      />
      <TextField
        label={t("nameEn")}
        name="nameEn"
        maxLength={100}
        defaultValue={v("nameEn", system?.nameEn)}
        error={state.fieldErrors?.nameEn}
      />
      <TextField
        label={t("description")}
        name="description"
        maxLength={1000}
        defaultValue={v("description", system?.description)}
        error={state.fieldErrors?.description}
      />
      <div className="grid grid-cols-2 gap-3">
        <SelectField
          label={t("environment")}
          name="environment"
          defaultValue={v("environment", system?.environment ?? "PRODUCTION")}
          error={state.fieldErrors?.environment}
        >
          {(["PRODUCTION", "TEST"] as const).map((e) => (
            <option key={e} value={e}>
              {tc(`environments.${e}`)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t("kind")} name="kind" defaultValue={v("kind", system?.kind ?? "FRONT_END")} error={state.fieldErrors?.kind}>
          {(["FRONT_END", "BACK_END", "PLATFORM"] as const).map((k) => (
            <option key={k} value={k}>
              {tc(`kinds.${k}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <PickerField
        label={t("owner")}
        name="ownerOrgId"
        source="/lookup/org-units"
        tree
        initial={owner ?? null}
        error={state.fieldErrors?.ownerOrgId}
      />
      <Checkbox name="isConnected" label={t("isConnected")} defaultChecked={system?.isConnected} />
      {system ? (
        <TextField
          label={t("reason")}
          name="reason"
          required
          maxLength={500}
          defaultValue={v("reason")}
          error={state.fieldErrors?.reason}
        />
      ) : null}
      <Button type="submit" disabled={pending}>
        {system ? t("save") : t("create")}
      </Button>
    </form>
  );
}

type PermissionValues = {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  description: string | null;
  dataKind: string;
  sensitivity: string;
  operation: string;
  isLogManagement: boolean;
  isAccountCreation: boolean;
  isActive: boolean;
};

export function PermissionForm({ systemId, permission }: { systemId: string; permission?: PermissionValues }) {
  const t = useTranslations("systems");
  const tc = useTranslations("catalog");
  const { state, formAction, pending, v } = useForm(savePermissionAction);
  return (
    <form
      action={formAction}
      className="space-y-3"
      noValidate
      aria-label={permission ? t("editPermission", { code: permission.code }) : t("newPermission")}
    >
      <FormNotice message={state.notice} />
      <FormError message={state.formError} />
      <input type="hidden" name="systemId" value={systemId} />
      {permission ? (
        <input type="hidden" name="permissionId" value={permission.id} />
      ) : (
        <TextField
          label={t("code")}
          name="code"
          required
          maxLength={60}
          defaultValue={v("code")}
          error={state.fieldErrors?.code}
          hint={t("itemCodeHint")}
        />
      )}
      <div className="grid grid-cols-2 gap-3">
        <TextField
          label={t("name")}
          name="name"
          required
          maxLength={100}
          defaultValue={v("name", permission?.name)}
          error={state.fieldErrors?.name}
        />
        <TextField
          label={t("nameEn")}
          name="nameEn"
          maxLength={100}
          defaultValue={v("nameEn", permission?.nameEn)}
          error={state.fieldErrors?.nameEn}
        />
      </div>
      <div className="grid grid-cols-3 gap-3">
        <SelectField
          label={t("dataKind")}
          name="dataKind"
          defaultValue={v("dataKind", permission?.dataKind ?? "NONE")}
          error={state.fieldErrors?.dataKind}
        >
          {DATA_KINDS.map((k) => (
            <option key={k} value={k}>
              {tc(`dataKinds.${k}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t("sensitivity")}
          name="sensitivity"
          defaultValue={v("sensitivity", permission?.sensitivity ?? "LOW")}
          error={state.fieldErrors?.sensitivity}
        >
          {SENSITIVITIES.map((k) => (
            <option key={k} value={k}>
              {tc(`sensitivities.${k}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t("operation")}
          name="operation"
          defaultValue={v("operation", permission?.operation ?? "QUERY")}
          error={state.fieldErrors?.operation}
        >
          {OPERATIONS.map((k) => (
            <option key={k} value={k}>
              {tc(`operations.${k}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="flex flex-wrap gap-4">
        <Checkbox name="isLogManagement" label={t("isLogManagement")} defaultChecked={permission?.isLogManagement} />
        <Checkbox name="isAccountCreation" label={t("isAccountCreation")} defaultChecked={permission?.isAccountCreation} />
        {permission ? <Checkbox name="isActive" label={t("isActive")} defaultChecked={permission.isActive} /> : null}
      </div>
      <TextField label={t("reason")} name="reason" required maxLength={500} defaultValue={v("reason")} error={state.fieldErrors?.reason} />
      <Button type="submit" disabled={pending}>
        {permission ? t("save") : t("addPermission")}
      </Button>
    </form>
  );
}

type RoleValues = {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  description: string | null;
  isAdministrative: boolean;
  isRequestable: boolean;
  isActive: boolean;
};

export function JobRoleForm({ systemId, role }: { systemId: string; role?: RoleValues }) {
  const t = useTranslations("systems");
  const { state, formAction, pending, v } = useForm(saveJobRoleAction);
  return (
    <form action={formAction} className="space-y-3" noValidate aria-label={role ? t("editRole", { code: role.code }) : t("newRole")}>
      <FormNotice message={state.notice} />
      <FormError message={state.formError} />
      <input type="hidden" name="systemId" value={systemId} />
      {role ? (
        <input type="hidden" name="roleId" value={role.id} />
      ) : (
        <TextField
          label={t("code")}
          name="code"
          required
          maxLength={60}
          defaultValue={v("code")}
          error={state.fieldErrors?.code}
          hint={t("itemCodeHint")}
        />
      )}
      <div className="grid grid-cols-2 gap-3">
        <TextField
          label={t("name")}
          name="name"
          required
          maxLength={100}
          defaultValue={v("name", role?.name)}
          error={state.fieldErrors?.name}
        />
        <TextField
          label={t("nameEn")}
          name="nameEn"
          maxLength={100}
          defaultValue={v("nameEn", role?.nameEn)}
          error={state.fieldErrors?.nameEn}
        />
      </div>
      <TextField
        label={t("description")}
        name="description"
        maxLength={1000}
        defaultValue={v("description", role?.description)}
        error={state.fieldErrors?.description}
      />
      <div className="flex flex-wrap gap-4">
        <Checkbox name="isAdministrative" label={t("isAdministrative")} defaultChecked={role?.isAdministrative} />
        <Checkbox name="isRequestable" label={t("isRequestable")} defaultChecked={role?.isRequestable ?? true} />
        {role ? <Checkbox name="isActive" label={t("isActive")} defaultChecked={role.isActive} /> : null}
      </div>
      <TextField label={t("reason")} name="reason" required maxLength={500} defaultValue={v("reason")} error={state.fieldErrors?.reason} />
      <Button type="submit" disabled={pending}>
        {role ? t("save") : t("addRole")}
      </Button>
    </form>
  );
}
