"use client";

import { useActionState, useState } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { FormError, FormNotice, SelectField, TextField } from "@/components/ui/field";
import type { ActionState } from "@/lib/http/action-state";
import {
  reconcileAction,
  remediateAction,
  completeTaskAction,
  releaseHeldAction,
  removeConnectorAction,
  requeueDeliveryAction,
  saveConnectorAction,
  testConnectionAction,
} from "../actions";

type Connector = {
  kind: "SCIM" | "MANUAL";
  baseUrl: string | null;
  auth: string | null;
  hasSecret: boolean;
  roleMapping: string;
  maxAttempts: number;
  safetyMaxPercent: number;
};

export function ConnectorForm({ systemId, connector }: { systemId: string; connector: Connector | null }) {
  const t = useTranslations("provisioning");
  const [state, formAction, pending] = useActionState<ActionState, FormData>(saveConnectorAction, {});
  const v = (name: string, fallback?: string | null) =>
    state.ok ? (fallback ?? undefined) : (state.values?.[name] ?? fallback ?? undefined);
  const [kind, setKind] = useState<string>(v("kind", connector?.kind ?? "SCIM") ?? "SCIM");
  const e = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="space-y-3" noValidate aria-label={t("configure")}>
      <FormNotice message={state.notice} />
      <FormError message={state.formError} />
      <input type="hidden" name="systemId" value={systemId} />
      <SelectField label={t("kind")} name="kind" value={kind} onChange={(ev) => setKind(ev.target.value)} error={e.kind}>
        <option value="SCIM">{t("kinds.SCIM")}</option>
        <option value="MANUAL">{t("kinds.MANUAL")}</option>
      </SelectField>
      {kind === "SCIM" ? (
        <>
          <TextField
            label={t("baseUrl")}
            name="baseUrl"
            required
            maxLength={500}
            placeholder="https://boss.example/scim/v2"
            defaultValue={v("baseUrl", connector?.baseUrl)}
            error={e.baseUrl}
          />
          <SelectField label={t("auth")} name="auth" defaultValue={v("auth", connector?.auth ?? "BEARER")} error={e.auth}>
            <option value="BEARER">{t("auths.BEARER")}</option>
            <option value="BASIC">{t("auths.BASIC")}</option>
          </SelectField>
          <TextField
            label={t("secret")}
            name="secret"
            type="password"
            autoComplete="off"
            maxLength={2000}
            hint={connector?.hasSecret ? t("secretKept") : t("secretHint")}
            error={e.secret}
          />
          <SelectField
            label={t("roleMapping")}
            name="roleMapping"
            defaultValue={v("roleMapping", connector?.roleMapping ?? "ROLES")}
            error={e.roleMapping}
          >
            <option value="ROLES">{t("mappings.ROLES")}</option>
            <option value="ENTITLEMENTS">{t("mappings.ENTITLEMENTS")}</option>
          </SelectField>
          <TextField
            label={t("maxAttempts")}
            name="maxAttempts"
            type="number"
            min={1}
            max={50}
            defaultValue={v("maxAttempts", String(connector?.maxAttempts ?? 8))}
            error={e.maxAttempts}
          />
          <TextField
            label={t("safetyMaxPercent")}
            name="safetyMaxPercent"
            type="number"
            min={0}
            max={100}
            hint={t("safetyHint")}
            defaultValue={v("safetyMaxPercent", String(connector?.safetyMaxPercent ?? 10))}
            error={e.safetyMaxPercent}
          />
        </>
      ) : (
        <p className="text-sm text-slate-600">{t("manualHint")}</p>
      )}
      <TextField label={t("reason")} name="reason" required maxLength={500} defaultValue={v("reason")} error={e.reason} />
      <Button type="submit" disabled={pending}>
        {t("save")}
      </Button>
    </form>
  );
}

export function TestConnectionButton({ systemId }: { systemId: string }) {
  const t = useTranslations("provisioning");
  const [state, formAction, pending] = useActionState<ActionState, FormData>(testConnectionAction, {});
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="systemId" value={systemId} />
      <Button type="submit" variant="secondary" disabled={pending}>
        {t("test")}
      </Button>
      <FormNotice message={state.notice} />
      <FormError message={state.formError} />
    </form>
  );
}

/** A system-level action that needs only a reason (remove the connector, release held deliveries). */
function SystemReasonForm({
  systemId,
  action,
  label,
  variant,
}: {
  systemId: string;
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
  label: string;
  variant: "secondary" | "danger";
}) {
  const t = useTranslations("provisioning");
  const [state, formAction, pending] = useActionState<ActionState, FormData>(action, {});
  return (
    <form action={formAction} className="space-y-2" noValidate aria-label={label}>
      <FormNotice message={state.notice} />
      <FormError message={state.formError} />
      <input type="hidden" name="systemId" value={systemId} />
      <TextField label={t("reason")} name="reason" required maxLength={500} error={state.fieldErrors?.reason} />
      <Button type="submit" variant={variant} disabled={pending}>
        {label}
      </Button>
    </form>
  );
}

export function RemoveConnectorForm({ systemId }: { systemId: string }) {
  const t = useTranslations("provisioning");
  return <SystemReasonForm systemId={systemId} action={removeConnectorAction} label={t("remove")} variant="secondary" />;
}

export function ReleaseHeldForm({ systemId }: { systemId: string }) {
  const t = useTranslations("provisioning");
  return <SystemReasonForm systemId={systemId} action={releaseHeldAction} label={t("release")} variant="danger" />;
}

export function RequeueForm({ systemId, outboxId }: { systemId: string; outboxId: string }) {
  const t = useTranslations("provisioning");
  const [state, formAction, pending] = useActionState<ActionState, FormData>(requeueDeliveryAction, {});
  return (
    <form action={formAction} className="flex flex-wrap items-end gap-2" noValidate aria-label={t("requeue")}>
      <input type="hidden" name="systemId" value={systemId} />
      <input type="hidden" name="outboxId" value={outboxId} />
      <TextField label={t("reason")} name="reason" required maxLength={500} error={state.fieldErrors?.reason} />
      <Button type="submit" variant="secondary" disabled={pending}>
        {t("requeue")}
      </Button>
      <FormNotice message={state.notice} />
      <FormError message={state.formError && !state.fieldErrors?.reason ? state.formError : undefined} />
    </form>
  );
}

export function CompleteTaskForm({ systemId, taskId }: { systemId: string; taskId: string }) {
  const t = useTranslations("provisioning");
  const [state, formAction, pending] = useActionState<ActionState, FormData>(completeTaskAction, {});
  if (state.ok) return <FormNotice message={state.notice} />;
  return (
    <form action={formAction} className="flex flex-wrap items-end gap-2" noValidate aria-label={t("markDone")}>
      <input type="hidden" name="systemId" value={systemId} />
      <input type="hidden" name="taskId" value={taskId} />
      <TextField
        label={t("note")}
        name="note"
        required
        maxLength={1000}
        defaultValue={state.values?.note}
        error={state.fieldErrors?.note}
      />
      <Button type="submit" variant="secondary" disabled={pending}>
        {t("markDone")}
      </Button>
      <FormError message={state.formError && !state.fieldErrors?.note ? state.formError : undefined} />
    </form>
  );
}

export function ReconcileButton({ systemId }: { systemId: string }) {
  const t = useTranslations("provisioning");
  const [state, formAction, pending] = useActionState<ActionState, FormData>(reconcileAction, {});
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="systemId" value={systemId} />
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? t("reconciling") : t("reconcile")}
      </Button>
      <FormNotice message={state.notice} />
      <FormError message={state.formError} />
    </form>
  );
}

export function RemediateForm({ systemId, findingId, canPush }: { systemId: string; findingId: string; canPush: boolean }) {
  const t = useTranslations("provisioning");
  const [state, formAction, pending] = useActionState<ActionState, FormData>(remediateAction, {});
  if (state.ok) return <FormNotice message={state.notice} />;
  return (
    <form action={formAction} className="flex flex-wrap items-end gap-2" noValidate aria-label={t("remediate")}>
      <input type="hidden" name="systemId" value={systemId} />
      <input type="hidden" name="findingId" value={findingId} />
      <TextField
        label={t("reason")}
        name="reason"
        required
        maxLength={500}
        defaultValue={state.values?.reason}
        error={state.fieldErrors?.reason}
      />
      {canPush ? (
        <Button type="submit" name="action" value="push" variant="secondary" disabled={pending}>
          {t("push")}
        </Button>
      ) : null}
      <Button type="submit" name="action" value="accept" variant="ghost" disabled={pending}>
        {t("accept")}
      </Button>
      <FormError message={state.formError && !state.fieldErrors?.reason ? state.formError : undefined} />
    </form>
  );
}
