"use client";

import { useCallback, useEffect, useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { useLiveEvent } from "@/components/shell/live-events";
import {
  cancelVaultAction,
  listApproversAction,
  requestVaultApprovalAction,
  vaultStatusAction,
  type ApproverOption,
} from "@/app/(portal)/vault/actions";
import type { VaultEventData } from "@/lib/events/stream";
import { useSecondsLeft } from "./countdown";

export type VaultAsk =
  | { scenario: "person.reveal-pii"; personId: string; field: "phone" | "email" | "idNumber" }
  | { scenario: "grant.administrative-role"; personId: string; roleId: string };

type Waiting = { id: string; expiresAt: string; approverName: string };
type Outcome = { kind: "rejected" | "expired" | "cancelled"; name?: string };

/**
 * The operator's side of vault mode (R14): pick an approver who is online now, give the reason, ask,
 * then wait (live, by server push) until they approve — then `onApproved(vaultRequestId)` carries the
 * operation out, consuming the approval — or reject, or the prompt lapses.
 */
export function VaultGate({
  ask,
  onApproved,
  onCancel,
}: {
  ask: VaultAsk;
  onApproved: (vaultRequestId: string) => void;
  onCancel?: () => void;
}) {
  const t = useTranslations("vault.gate");
  const [approvers, setApprovers] = useState<ApproverOption[] | null>(null);
  const [approverId, setApproverId] = useState("");
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [waiting, setWaiting] = useState<Waiting | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [pending, start] = useTransition();
  const left = useSecondsLeft(waiting?.expiresAt ?? null);

  const load = useCallback(() => {
    start(async () => {
      const list = await listApproversAction(ask.scenario);
      setApprovers(list);
      setApproverId((current) => (list.some((a) => a.id === current) ? current : (list[0]?.id ?? "")));
    });
  }, [ask.scenario]);
  useEffect(load, [load]);

  const settle = useCallback(
    (id: string, status: string) => {
      if (!waiting || waiting.id !== id) return;
      if (status === "APPROVED") {
        setWaiting(null);
        onApproved(id);
      } else if (status === "REJECTED" || status === "EXPIRED" || status === "CANCELLED") {
        setWaiting(null);
        setOutcome({
          kind: status === "REJECTED" ? "rejected" : status === "EXPIRED" ? "expired" : "cancelled",
          name: waiting.approverName,
        });
      }
    },
    [waiting, onApproved],
  );
  useLiveEvent<VaultEventData>("vault", (v) => {
    if (v.role === "operator") settle(v.id, v.status);
  });
  // A safety net under server push: ask every few seconds while waiting, and once the prompt lapses.
  useEffect(() => {
    if (!waiting) return;
    const id = waiting.id;
    const timer = setInterval(() => {
      void vaultStatusAction(id).then((s) => s.status && settle(id, s.status));
    }, 5_000);
    return () => clearInterval(timer);
  }, [waiting, settle]);

  if (waiting) {
    return (
      <div
        role="status"
        data-testid="vault-waiting"
        className="mt-2 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900"
      >
        <p>{t("waiting", { name: waiting.approverName, seconds: left })}</p>
        <button
          type="button"
          className="mt-2 text-xs text-amber-800 hover:underline"
          onClick={() =>
            start(async () => {
              const r = await cancelVaultAction(waiting.id);
              if (r.error) setError(r.error);
              else {
                setWaiting(null);
                setOutcome({ kind: "cancelled" });
              }
            })
          }
        >
          {t("cancel")}
        </button>
      </div>
    );
  }

  return (
    <div data-testid="vault-gate" className="mt-2 space-y-2 rounded-md border border-slate-200 bg-slate-50 p-3 text-sm">
      <p className="font-medium text-slate-800">{t("needsApproval")}</p>
      {outcome ? (
        <p role="alert" className="text-red-700">
          {t(outcome.kind, { name: outcome.name ?? "" })}
        </p>
      ) : null}
      {approvers && approvers.length === 0 ? (
        <p className="text-slate-600">{t("noApprovers")}</p>
      ) : (
        <label className="block">
          <span className="text-slate-700">{t("approver")}</span>
          <select
            value={approverId}
            onChange={(e) => setApproverId(e.target.value)}
            className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5"
            aria-invalid={!!fieldErrors.approverId}
          >
            {(approvers ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {a.label}
              </option>
            ))}
          </select>
          {fieldErrors.approverId ? <span className="text-xs text-red-600">{fieldErrors.approverId}</span> : null}
        </label>
      )}
      <label className="block">
        <span className="text-slate-700">{t("reason")}</span>
        <input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={500}
          className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5"
          aria-invalid={!!fieldErrors.reason}
        />
        {fieldErrors.reason ? <span className="text-xs text-red-600">{fieldErrors.reason}</span> : null}
      </label>
      {error ? (
        <p role="alert" className="text-red-600">
          {error}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          disabled={pending || !approverId}
          className="rounded-md bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700 disabled:opacity-50"
          onClick={() =>
            start(async () => {
              setError(null);
              setFieldErrors({});
              setOutcome(null);
              const r = await requestVaultApprovalAction({ ...ask, approverId, reason });
              if (r.id && r.expiresAt) setWaiting({ id: r.id, expiresAt: r.expiresAt, approverName: r.approverName ?? "" });
              else {
                setError(r.error ?? null);
                setFieldErrors(r.fieldErrors ?? {});
              }
            })
          }
        >
          {outcome ? t("again") : t("ask")}
        </button>
        <button
          type="button"
          disabled={pending}
          onClick={load}
          className="rounded-md border border-slate-300 px-3 py-1.5 text-slate-700 hover:bg-white"
        >
          {t("reload")}
        </button>
        {onCancel ? (
          <button type="button" onClick={onCancel} className="px-2 py-1.5 text-slate-600 hover:underline">
            {t("close")}
          </button>
        ) : null}
      </div>
    </div>
  );
}
