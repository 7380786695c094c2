"use client";

import { useState, useTransition } from "react";
import { useLocale, useTranslations } from "next-intl";
import { useLiveEvent } from "@/components/shell/live-events";
import { decideVaultAction } from "@/app/(portal)/vault/actions";
import type { VaultEventData } from "@/lib/events/stream";
import { useSecondsLeft } from "./countdown";
import { operationLabel } from "./operation-label";

/**
 * The approver's live vault prompt (R14), on every portal page: appears the moment an operator asks
 * (server push), with the operator, the operation, its target, the reason and the time left; Approve or
 * Reject decide it there. It closes when the request is decided elsewhere, withdrawn or lapses.
 */
export function VaultPrompt() {
  const [prompts, setPrompts] = useState<VaultEventData[]>([]);
  useLiveEvent<VaultEventData>("vault", (v) => {
    if (v.role !== "approver") return;
    setPrompts((list) => {
      const others = list.filter((p) => p.id !== v.id);
      return v.status === "PENDING" ? [...others, v] : others;
    });
  });
  const current = prompts[0];
  if (!current) return null;
  return (
    <PromptDialog
      key={current.id}
      prompt={current}
      more={prompts.length - 1}
      onClose={() => setPrompts((l) => l.filter((p) => p.id !== current.id))}
    />
  );
}

function PromptDialog({ prompt, more, onClose }: { prompt: VaultEventData; more: number; onClose: () => void }) {
  const t = useTranslations("vault");
  const locale = useLocale();
  const [comment, setComment] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const left = useSecondsLeft(prompt.expiresAt);
  const decide = (outcome: "APPROVE" | "REJECT") =>
    start(async () => {
      const result = await decideVaultAction(prompt.id, outcome, comment);
      if (result.error) setError(result.error);
      else onClose();
    });
  const scenario = locale === "en" && prompt.scenario.nameEn ? prompt.scenario.nameEn : prompt.scenario.name;
  return (
    <div className="fixed inset-0 z-50 grid place-items-center bg-slate-900/40 p-4">
      <div
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="vault-prompt-title"
        data-testid="vault-prompt"
        className="w-full max-w-lg rounded-lg border border-amber-300 bg-white p-5 shadow-xl"
      >
        <h2 id="vault-prompt-title" className="text-lg font-semibold text-amber-800">
          {t("prompt.title")}
        </h2>
        <dl className="mt-3 grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1 text-sm">
          <dt className="text-slate-500">{t("prompt.operator")}</dt>
          <dd data-testid="vault-prompt-operator">
            {prompt.operator.name} ({prompt.operator.employeeNo})
          </dd>
          <dt className="text-slate-500">{t("prompt.scenario")}</dt>
          <dd>
            {scenario} · {operationLabel(t as never, prompt.operation)}
          </dd>
          <dt className="text-slate-500">{t("prompt.target")}</dt>
          <dd data-testid="vault-prompt-target">{prompt.targetLabel}</dd>
          <dt className="text-slate-500">{t("prompt.reason")}</dt>
          <dd className="whitespace-pre-wrap">{prompt.reason}</dd>
        </dl>
        <p className="mt-3 text-sm font-medium text-amber-700" data-testid="vault-prompt-countdown">
          {t("prompt.left", { seconds: left })}
        </p>
        <label className="mt-3 block text-sm">
          <span className="text-slate-700">{t("prompt.comment")}</span>
          <input
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            maxLength={500}
            className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          />
        </label>
        {error ? (
          <p role="alert" className="mt-2 text-sm text-red-600">
            {error}
          </p>
        ) : null}
        <div className="mt-4 flex justify-end gap-2">
          <button
            type="button"
            disabled={pending}
            onClick={() => decide("REJECT")}
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-50"
          >
            {t("prompt.reject")}
          </button>
          <button
            type="button"
            disabled={pending || left === 0}
            onClick={() => decide("APPROVE")}
            className="rounded-md bg-amber-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-amber-700"
          >
            {t("prompt.approve")}
          </button>
        </div>
        {more > 0 ? <p className="mt-2 text-xs text-slate-500">+{more}</p> : null}
        {error ? (
          <button type="button" onClick={onClose} className="mt-2 text-xs text-slate-500 hover:underline">
            {t("gate.close")}
          </button>
        ) : null}
      </div>
    </div>
  );
}
