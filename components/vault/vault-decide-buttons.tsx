"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { decideVaultAction } from "@/app/(portal)/vault/actions";

/** Approve / Reject on the vault request's own page (the same decision as the live prompt). */
export function VaultDecideButtons({ vaultRequestId }: { vaultRequestId: string }) {
  const t = useTranslations("vault.prompt");
  const router = useRouter();
  const [comment, setComment] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const decide = (outcome: "APPROVE" | "REJECT") =>
    start(async () => {
      const r = await decideVaultAction(vaultRequestId, outcome, comment);
      if (r.error) setError(r.error);
      router.refresh();
    });
  return (
    <div className="mt-4 space-y-2">
      <label className="block text-sm">
        <span className="text-slate-700">{t("comment")}</span>
        <input
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          maxLength={500}
          className="mt-1 w-full max-w-md rounded-md border border-slate-300 px-2 py-1.5 text-sm"
        />
      </label>
      {error ? (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      ) : null}
      <div className="flex gap-2">
        <button
          type="button"
          disabled={pending}
          onClick={() => decide("REJECT")}
          className="rounded-md border border-slate-300 px-3 py-1.5 text-sm"
        >
          {t("reject")}
        </button>
        <button
          type="button"
          disabled={pending}
          onClick={() => decide("APPROVE")}
          className="rounded-md bg-amber-600 px-3 py-1.5 text-sm font-medium text-white"
        >
          {t("approve")}
        </button>
      </div>
    </div>
  );
}
