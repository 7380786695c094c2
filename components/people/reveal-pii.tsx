"use client";

import { useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { revealPiiAction } from "@/app/(portal)/people/[id]/actions";
import { VaultGate } from "@/components/vault/vault-gate";

/**
 * A masked personal-data field with "Show" (R15). Showing it in full is vault mode (R14): the operator
 * asks an online security officer, waits for the live approval, and the value appears once approved.
 */
export function RevealPii({
  personId,
  field,
  masked,
  canReveal,
}: {
  personId: string;
  field: "phone" | "email" | "idNumber";
  masked: string;
  canReveal: boolean;
}) {
  const t = useTranslations("personDetail");
  const [shown, setShown] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  if (!masked) return <span className="text-slate-400">—</span>;
  const reveal = (vaultRequestId: string) =>
    start(async () => {
      const result = await revealPiiAction(personId, field, vaultRequestId);
      if (result.error) setError(result.error);
      else {
        setAsking(false);
        setShown(result.value ?? "");
      }
    });
  return (
    <span className="inline-flex flex-col gap-1">
      <span className="inline-flex flex-wrap items-center gap-2">
        <span className="font-mono" data-testid={`pii-${field}`}>
          {shown ?? masked}
        </span>
        {canReveal && shown === null && !asking ? (
          <button
            type="button"
            disabled={pending}
            className="text-xs text-brand-700 hover:underline"
            onClick={() => {
              setError(null);
              setAsking(true);
            }}
          >
            {t("reveal")}
          </button>
        ) : null}
        {shown !== null ? <span className="text-xs text-amber-700">{t("revealedLogged")}</span> : null}
      </span>
      {asking && shown === null ? (
        <VaultGate ask={{ scenario: "person.reveal-pii", personId, field }} onApproved={reveal} onCancel={() => setAsking(false)} />
      ) : null}
      {error ? (
        <span role="alert" className="text-xs text-red-600">
          {error}
        </span>
      ) : null}
    </span>
  );
}
