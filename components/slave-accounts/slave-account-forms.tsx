"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { assignSlaveAccountOwnerAction, changeSlaveAccountStatusAction } from "@/app/(portal)/systems/[id]/account-actions";
import { Button } from "@/components/ui/button";
import type { ActionState } from "@/lib/http/action-state";

type Op = "lock" | "unlock" | "disable" | "enable" | "delete";
type RoundState = ActionState & { round?: number };

const input = "rounded-md border border-slate-300 px-2 py-1 text-xs";

// A key that changes with every answer remounts the form, so a <select> shows what was echoed back.
function useRound(action: (prev: ActionState, form: FormData) => Promise<ActionState>) {
  const [state, formAction, pending] = useActionState<RoundState, FormData>(
    async (prev, form) => ({ ...(await action(prev, form)), round: (prev.round ?? 0) + 1 }),
    {},
  );
  return [state, formAction, pending, state.round ?? 0] as const;
}

function Messages({ state }: { state: ActionState }) {
  // The form-level message and each field's (once each: a refusal about a field is both).
  const errors = [...new Set([state.formError, ...Object.values(state.fieldErrors ?? {})].filter((m): m is string => !!m))];
  return (
    <>
      {state.notice ? (
        <p role="status" className="w-full text-xs text-emerald-700">
          {state.notice}
        </p>
      ) : null}
      {errors.length ? (
        <p role="alert" className="w-full text-xs text-red-600">
          {errors.join(" ")}
        </p>
      ) : null}
    </>
  );
}

/**
 * An account administrator's actions on one slave account, inline in a table row: the changes its
 * status allows, with a reason. The status shown is sent along, so a change made meanwhile by someone
 * else is refused with a clear message instead of being overwritten.
 */
export function SlaveAccountActionForm({
  slaveAccountId,
  status,
  ops,
  systemId,
  personId,
  label,
}: {
  slaveAccountId: string;
  status: string;
  ops: Op[];
  systemId: string;
  personId?: string | null;
  label: string;
}) {
  const t = useTranslations("lifecycle.accounts");
  const [state, action, pending, round] = useRound(changeSlaveAccountStatusAction);
  if (ops.length === 0) return null;
  const typed = (k: string) => (state.ok ? undefined : state.values?.[k]);
  return (
    <form key={round} action={action} className="flex flex-wrap items-start gap-2" noValidate aria-label={`${t("actions")} · ${label}`}>
      <input type="hidden" name="slaveAccountId" value={slaveAccountId} />
      <input type="hidden" name="expectedStatus" value={status} />
      <input type="hidden" name="systemId" value={systemId} />
      {personId ? <input type="hidden" name="personId" value={personId} /> : null}
      <label className="sr-only" htmlFor={`op-${slaveAccountId}`}>
        {t("operation")}
      </label>
      <select id={`op-${slaveAccountId}`} name="change" defaultValue={typed("change") ?? ops[0]} className={input}>
        {ops.map((op) => (
          <option key={op} value={op}>
            {t(`ops.${op}`)}
          </option>
        ))}
      </select>
      <label className="sr-only" htmlFor={`reason-${slaveAccountId}`}>
        {t("reason")}
      </label>
      <input
        id={`reason-${slaveAccountId}`}
        name="reason"
        required
        maxLength={500}
        placeholder={t("reasonPlaceholder")}
        defaultValue={typed("reason")}
        aria-invalid={state.fieldErrors?.reason ? true : undefined}
        className={`${input} w-40`}
      />
      <Button type="submit" variant="secondary" disabled={pending} className="!px-2 !py-1 text-xs">
        {t("apply")}
      </Button>
      <Messages state={state} />
    </form>
  );
}

/** Give an orphan account its owner, by employee number, with a reason. */
export function AssignOwnerForm({ slaveAccountId, systemId, label }: { slaveAccountId: string; systemId: string; label: string }) {
  const t = useTranslations("lifecycle.accounts");
  const [state, action, pending, round] = useRound(assignSlaveAccountOwnerAction);
  const typed = (k: string) => (state.ok ? undefined : state.values?.[k]);
  return (
    <details className="mt-1">
      <summary className="cursor-pointer text-xs text-brand-700">{t("assignOwner")}</summary>
      <form
        key={round}
        action={action}
        className="mt-2 flex flex-wrap items-start gap-2"
        noValidate
        aria-label={`${t("assignOwner")} · ${label}`}
      >
        <input type="hidden" name="slaveAccountId" value={slaveAccountId} />
        <input type="hidden" name="systemId" value={systemId} />
        <label className="sr-only" htmlFor={`owner-${slaveAccountId}`}>
          {t("ownerEmployeeNo")}
        </label>
        <input
          id={`owner-${slaveAccountId}`}
          name="employeeNo"
          required
          maxLength={32}
          placeholder={t("ownerEmployeeNo")}
          defaultValue={typed("employeeNo")}
          aria-invalid={state.fieldErrors?.employeeNo ? true : undefined}
          className={`${input} w-36`}
        />
        <label className="sr-only" htmlFor={`owner-reason-${slaveAccountId}`}>
          {t("reason")}
        </label>
        <input
          id={`owner-reason-${slaveAccountId}`}
          name="reason"
          required
          maxLength={500}
          placeholder={t("reasonPlaceholder")}
          defaultValue={typed("reason")}
          aria-invalid={state.fieldErrors?.reason ? true : undefined}
          className={`${input} w-40`}
        />
        <Button type="submit" variant="secondary" disabled={pending} className="!px-2 !py-1 text-xs">
          {t("assign")}
        </Button>
        <Messages state={state} />
      </form>
    </details>
  );
}
