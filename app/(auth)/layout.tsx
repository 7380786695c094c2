import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { LanguageSwitcher } from "@/components/shell/language-switcher";

export default async function AuthLayout({ children }: { children: ReactNode }) {
  const t = await getTranslations("shell");
  return (
    <div className="flex min-h-screen flex-col">
      <header className="flex h-14 items-center justify-between px-6">
        <div className="flex items-center gap-2 font-semibold text-brand-800">
          {/* eslint-disable-next-line @next/next/no-img-element -- a static SVG from public/, nothing to optimise */}
          <img src="/logo.svg" alt="" aria-hidden width={28} height={28} className="h-7 w-7" />
          <span>{t("product")}</span>
        </div>
        <LanguageSwitcher />
      </header>
      <main id="main" className="flex flex-1 items-start justify-center px-4 pt-12">
        <div className="w-full max-w-md">{children}</div>
      </main>
    </div>
  );
}
