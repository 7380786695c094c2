import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { getActor } from "@/lib/auth/get-actor";
import { SignInForm } from "@/components/auth/sign-in-form";

export async function generateMetadata() {
  const t = await getTranslations("signIn");
  return { title: t("title") };
}

const REASONS = ["idle", "absolute", "revoked", "account-inactive", "mfa-required", "expired", "signed-out"] as const;

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ reason?: string }> }) {
  if (await getActor()) redirect("/");
  const { reason } = await searchParams;
  const t = await getTranslations("signIn");
  const notice = REASONS.find((r) => r === reason);
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="text-lg font-semibold text-slate-900">{t("title")}</h1>
      <p className="mt-1 mb-5 text-sm text-slate-600">{t("subtitle")}</p>
      {notice ? (
        <p
          role="status"
          className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800"
          data-testid="sign-in-notice"
        >
          {t(`reasons.${notice}`)}
        </p>
      ) : null}
      <SignInForm />
    </div>
  );
}
