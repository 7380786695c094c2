import { getTranslations } from "next-intl/server";
import { SecondFactorForm } from "@/components/auth/second-factor-form";

export async function generateMetadata() {
  const t = await getTranslations("mfa");
  return { title: t("title") };
}

export default async function MfaPage() {
  const t = await getTranslations("mfa");
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="text-lg font-semibold text-slate-900">{t("title")}</h1>
      <p className="mt-1 mb-5 text-sm text-slate-600">{t("subtitle")}</p>
      <SecondFactorForm />
    </div>
  );
}
