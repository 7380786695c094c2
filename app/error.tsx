"use client";

import { useTranslations } from "next-intl";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations("errorPages");
  return (
    <main id="main" className="mx-auto max-w-lg px-6 py-24 text-center">
      <p className="text-sm font-semibold text-red-700">500</p>
      <h1 className="mt-2 text-2xl font-semibold text-slate-900">{t("errorTitle")}</h1>
      <p className="mt-2 text-slate-600">{t("errorBody")}</p>
      {error.digest ? <p className="mt-2 font-mono text-xs text-slate-500">{t("reference", { digest: error.digest })}</p> : null}
      <button type="button" onClick={reset} className="mt-6 text-brand-700 hover:underline">
        {t("retry")}
      </button>
    </main>
  );
}
