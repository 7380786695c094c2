"use client";

import { useTranslations } from "next-intl";

export function RecoveryCodes({ codes }: { codes: string[] }) {
  const t = useTranslations("recoveryCodes");
  return (
    <div className="rounded-md border border-amber-200 bg-amber-50 p-4">
      <h2 className="text-sm font-semibold text-amber-900">{t("title")}</h2>
      <p className="mt-1 text-sm text-amber-900">{t("explain")}</p>
      <ul className="mt-3 grid grid-cols-2 gap-2 font-mono text-sm" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c} className="rounded bg-white px-2 py-1 text-center">
            {c}
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="mt-3 text-sm text-brand-700 hover:underline"
        onClick={() => void navigator.clipboard?.writeText(codes.join("\n"))}
      >
        {t("copy")}
      </button>
    </div>
  );
}
