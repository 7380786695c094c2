import type { Metadata } from "next";
import type { ReactNode } from "react";
import { NextIntlClientProvider } from "next-intl";
import { headers } from "next/headers";
import { getLocale, getMessages, getTranslations } from "next-intl/server";
import { clientMessages, ROOT_NAMESPACES } from "@/i18n/client-messages";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("app");
  return {
    title: { default: t("name"), template: `%s · ${t("name")}` },
    // public/: the portal's logo as the icon (SVG where supported, favicon.ico for the rest).
    icons: {
      icon: [
        { url: "/favicon.svg", type: "image/svg+xml" },
        { url: "/favicon.ico", sizes: "32x32" },
      ],
    },
  };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const [locale, messages] = await Promise.all([getLocale(), getMessages()]);
  // Read per request, so every page renders dynamically: a prerendered page's scripts would lack the
  // response's CSP nonce (proxy.ts) and be blocked.
  await headers();
  return (
    <html lang={locale}>
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <NextIntlClientProvider messages={clientMessages(messages, ROOT_NAMESPACES)}>{children}</NextIntlClientProvider>
      </body>
    </html>
  );
}
