"use client";

import { useActionState, useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import {
  createSodRuleAction,
  deactivateSodRuleAction,
  pairOptionsAction,
  recheckAction,
  remediateAction,
} from "@/app/(portal)/policy/actions";
import { Button } from "@/components/ui/button";
import { FormError, FormNotice, SelectField, TextField } from "@/components/ui/field";

type Option = { id: string; label: string };

/**
 * One side of a pair: a system, then one of its roles (or permissions), fetched for that system so
 * the choice is never a truncated list of every role in the estate.
 */
function PairSide({
  side,
  kind,
  systems,
  error,
  value,
}: {
  side: "Left" | "Right";
  kind: string;
  systems: Option[];
  error?: string;
  value?: string;
}) {
  const t = useTranslations("policyAdmin");
  const [systemId, setSystemId] = useState("");
  const [options, setOptions] = useState<Option[] | null>(null);
  const [loading, startLoading] = useTransition();
  const prefix = kind === "PERMISSION_PAIR" ? "permission" : "role";
  const label = side === "Left" ? t("left") : t("right");
  const load = (id: string) => {
    setSystemId(id);
    setOptions(null);
    if (id) startLoading(async () => setOptions(await pairOptionsAction(kind, id)));
  };
  return (
    <fieldset className="space-y-2 rounded-md border border-slate-200 p-2">
      <legend className="px-1 text-xs font-medium text-slate-600">{label}</legend>
      <SelectField
        label={t("sideSystem", { side: label })}
        name={`${prefix}${side}System`}
        value={systemId}
        onChange={(e) => load(e.target.value)}
      >
        <option value="">{t("choose")}</option>
        {systems.map((s) => (
          <option key={s.id} value={s.id}>
            {s.label}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={label}
        name={`${prefix}${side}`}
        key={`${prefix}${side}${systemId}`}
        defaultValue={value ?? ""}
        error={error}
        disabled={!options}
        hint={
          loading ? t("loadingOptions") : options?.length === 0 ? t(kind === "PERMISSION_PAIR" ? "noPermissions" : "noRoles") : undefined
        }
      >
        <option value="">{t("choose")}</option>
        {(options ?? []).map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </SelectField>
    </fieldset>
  );
}

export function SodRuleForm({ systems }: { systems: Option[] }) {
  const t = useTranslations("policyAdmin");
  const [state, action, pending] = useActionState(createSodRuleAction, {});
  const [kind, setKind] = useState(state.values?.kind ?? "ROLE_PAIR");
  const prefix = kind === "PERMISSION_PAIR" ? "permission" : "role";
  return (
    <form action={action} className="space-y-3" noValidate aria-label={t("newRule")}>
      <FormNotice message={state.notice} />
      <FormError message={state.formError} />
      <SelectField label={t("kind")} name="kind" value={kind} onChange={(e) => setKind(e.target.value)}>
        <option value="ROLE_PAIR">{t("kinds.ROLE_PAIR")}</option>
        <option value="PERMISSION_PAIR">{t("kinds.PERMISSION_PAIR")}</option>
      </SelectField>
      <PairSide
        key={`L${kind}`}
        side="Left"
        kind={kind}
        systems={systems}
        error={state.fieldErrors?.leftId}
        value={state.values?.[`${prefix}Left`]}
      />
      <PairSide
        key={`R${kind}`}
        side="Right"
        kind={kind}
        systems={systems}
        error={state.fieldErrors?.rightId}
        value={state.values?.[`${prefix}Right`]}
      />
      <TextField
        label={t("description")}
        name="description"
        required
        maxLength={300}
        defaultValue={state.ok ? "" : state.values?.description}
        error={state.fieldErrors?.description}
        hint={t("descriptionHint")}
      />
      <Button type="submit" disabled={pending}>
        {t("addRule")}
      </Button>
    </form>
  );
}

export function DeactivateRuleForm({ ruleId }: { ruleId: string }) {
  const t = useTranslations("policyAdmin");
  const [state, action, pending] = useActionState(deactivateSodRuleAction, {});
  return (
    <form action={action} className="flex flex-wrap items-start gap-2" noValidate>
      <input type="hidden" name="ruleId" value={ruleId} />
      <label className="sr-only" htmlFor={`rule-${ruleId}`}>
        {t("reason")}
      </label>
      <input
        id={`rule-${ruleId}`}
        name="reason"
        required
        maxLength={500}
        placeholder={t("reason")}
        className="w-36 rounded-md border border-slate-300 px-2 py-1 text-xs"
      />
      <Button type="submit" variant="secondary" disabled={pending} className="!px-2 !py-1 text-xs">
        {t("deactivate")}
      </Button>
      {state.formError ? (
        <p role="alert" className="w-full text-xs text-red-600">
          {state.formError}
        </p>
      ) : null}
    </form>
  );
}

export function RecheckButton() {
  const t = useTranslations("policyAdmin");
  const [state, action, pending] = useActionState(recheckAction, {});
  return (
    <form action={action} className="flex items-center gap-3">
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? t("rechecking") : t("recheck")}
      </Button>
      {state.notice ? (
        <span role="status" className="text-sm text-emerald-700">
          {state.notice}
        </span>
      ) : null}
      {state.formError ? (
        <span role="alert" className="text-sm text-red-600">
          {state.formError}
        </span>
      ) : null}
    </form>
  );
}

export function RemediateForm({ grantId }: { grantId: string }) {
  const t = useTranslations("policyAdmin");
  const [state, action, pending] = useActionState(remediateAction, {});
  return (
    <form action={action} className="flex flex-wrap items-start gap-2" noValidate>
      <input type="hidden" name="grantId" value={grantId} />
      <label className="sr-only" htmlFor={`fix-${grantId}`}>
        {t("reason")}
      </label>
      <input
        id={`fix-${grantId}`}
        name="reason"
        required
        maxLength={500}
        placeholder={t("reason")}
        className="w-36 rounded-md border border-slate-300 px-2 py-1 text-xs"
      />
      <Button type="submit" variant="danger" disabled={pending} className="!px-2 !py-1 text-xs">
        {t("revokeGrant")}
      </Button>
      {state.formError ? (
        <p role="alert" className="w-full text-xs text-red-600">
          {state.formError}
        </p>
      ) : null}
    </form>
  );
}
