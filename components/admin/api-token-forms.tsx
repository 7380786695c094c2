"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { createApiTokenAction, revokeApiTokenAction, type CreateTokenState } from "@/app/(portal)/admin/api-tokens/actions";
import { Button } from "@/components/ui/button";
import { FormError, FormNotice, TextField } from "@/components/ui/field";

type Option = { id: string; label: string };

export function CreateApiTokenForm({ systems, operations }: { systems: Option[]; operations: readonly string[] }) {
  const t = useTranslations("apiTokens");
  const [state, action, pending] = useActionState<CreateTokenState, FormData>(createApiTokenAction, {});
  const keep = !state.ok ? state.values : undefined;
  const chosenSystems = new Set((keep?.systemIds ?? "").split(",").filter(Boolean));
  const chosenOps = new Set((keep?.operations ?? "").split(",").filter(Boolean));
  return (
    <div className="space-y-4">
      {state.secret ? (
        <div role="status" className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3" data-testid="api-token-secret-panel">
          <p className="text-sm font-semibold text-amber-900">{t("secretTitle")}</p>
          <p className="text-xs text-amber-900">{t("secretHint")}</p>
          <label className="sr-only" htmlFor="api-token-secret">
            {t("secretLabel")}
          </label>
          <input
            id="api-token-secret"
            readOnly
            value={state.secret}
            onFocus={(e) => e.currentTarget.select()}
            className="block w-full rounded border border-amber-300 bg-white px-2 py-1 font-mono text-xs"
            data-testid="api-token-secret"
          />
        </div>
      ) : null}
      <form action={action} className="space-y-3" noValidate aria-label={t("createTitle")}>
        <FormNotice message={state.notice} />
        <FormError message={state.formError} />
        <TextField
          label={t("name")}
          name="name"
          required
          maxLength={100}
          hint={t("nameHint")}
          defaultValue={keep?.name}
          error={state.fieldErrors?.name}
        />
        <fieldset className="space-y-1">
          <legend className="text-sm font-medium text-slate-700">{t("systems")}</legend>
          <p className="text-xs text-slate-500">{t("systemsHint")}</p>
          <div className="max-h-48 space-y-1 overflow-y-auto rounded-md border border-slate-200 p-2">
            {systems.map((s) => (
              <label key={s.id} className="flex items-center gap-2 text-sm">
                <input type="checkbox" name="systemIds" value={s.id} defaultChecked={chosenSystems.has(s.id)} />
                {s.label}
              </label>
            ))}
          </div>
          {state.fieldErrors?.systemIds ? (
            <p role="alert" className="text-xs text-red-600">
              {state.fieldErrors.systemIds}
            </p>
          ) : null}
        </fieldset>
        <fieldset className="space-y-1">
          <legend className="text-sm font-medium text-slate-700">{t("operations")}</legend>
          {operations.map((op) => (
            <label key={op} className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="operations" value={op} defaultChecked={chosenOps.has(op)} />
              <span>{t(`operationLabels.${op}`)}</span> <code className="text-xs text-slate-500">{op}</code>
            </label>
          ))}
          {state.fieldErrors?.operations ? (
            <p role="alert" className="text-xs text-red-600">
              {state.fieldErrors.operations}
            </p>
          ) : null}
        </fieldset>
        <TextField
          label={t("validDays")}
          name="validDays"
          type="number"
          min={1}
          max={366}
          required
          hint={t("validDaysHint")}
          defaultValue={keep?.validDays ?? "90"}
          error={state.fieldErrors?.validDays}
        />
        <Button type="submit" disabled={pending}>
          {t("create")}
        </Button>
      </form>
    </div>
  );
}

export function RevokeApiTokenForm({ tokenId, name }: { tokenId: string; name: string }) {
  const t = useTranslations("apiTokens");
  const [state, action, pending] = useActionState(revokeApiTokenAction, {});
  return (
    <form action={action} className="flex flex-wrap items-start gap-2" noValidate aria-label={`${t("revoke")} ${name}`}>
      <input type="hidden" name="tokenId" value={tokenId} />
      <label className="sr-only" htmlFor={`revoke-reason-${tokenId}`}>
        {t("reason")}
      </label>
      <input
        id={`revoke-reason-${tokenId}`}
        name="reason"
        required
        maxLength={500}
        placeholder={t("reason")}
        className="w-36 rounded-md border border-slate-300 px-2 py-1 text-xs"
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
