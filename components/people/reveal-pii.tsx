"use client";

import { useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { revealPiiAction } from "@/app/(portal)/people/[id]/actions";

export function RevealPii({ personId, field, masked, canReveal }: { personId: string; field: "phone" | "email" | "idNumber"; masked: string; canReveal: boolean }) {
  const t = useTranslations("personDetail");
  const [shown, setShown] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  if (!masked) return <span className="text-slate-400">—</span>;
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <span className="font-mono" data-testid={`pii-${field}`}>{shown ?? masked}</span>
      {canReveal && shown === null ? (
        <button
          type="button"
          disabled={pending}
          className="text-xs text-brand-700 hover:underline"
          onClick={() =>
            start(async () => {
              const result = await revealPiiAction(personId, field);
              if (result.error) setError(result.error);
              else setShown(result.value ?? "");
            })
          }
        >
          {t("reveal")}
        </button>
      ) : null}
      {shown !== null ? <span className="text-xs text-amber-700">{t("revealedLogged")}</span> : null}
      {error ? <span role="alert" className="text-xs text-red-600">{error}</span> : null}
    </span>
  );
}
