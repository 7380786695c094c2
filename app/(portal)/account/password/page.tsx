import { getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { loadSecuritySettings } from "@/lib/settings/queries";
import { Card, PageHeader } from "@/components/ui/card";
import { ChangePasswordForm } from "@/components/auth/change-password-form";

export async function generateMetadata() {
  const t = await getTranslations("password");
  return { title: t("title") };
}

export default async function PasswordPage({ searchParams }: { searchParams: Promise<{ required?: string }> }) {
  await requireActor({ allowPasswordChange: true });
  const [{ required }, settings, t] = await Promise.all([searchParams, loadSecuritySettings(), getTranslations("password")]);
  return (
    <>
      <PageHeader title={t("title")} />
      {required ? (
        <p role="status" className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800">
          {t("required")}
        </p>
      ) : null}
      <Card>
        <ChangePasswordForm rules={t(`rules.${settings.passwordProfile}`)} />
      </Card>
    </>
  );
}
