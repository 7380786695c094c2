import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { getAccountSummary } from "@/lib/accounts/queries";
import { Card, DescriptionList, PageHeader } from "@/components/ui/card";
import { RegenerateCodes, SignOutEverywhere } from "@/components/auth/account-security";

export async function generateMetadata() {
  const t = await getTranslations("account");
  return { title: t("title") };
}

export default async function AccountPage() {
  const actor = await requireActor();
  const [summary, t, format] = await Promise.all([getAccountSummary(actor.accountId), getTranslations("account"), getFormatter()]);
  const when = (d: Date | null | undefined) => (d ? format.dateTime(d, { dateStyle: "medium", timeStyle: "short" }) : "—");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title={t("security")}>
          <DescriptionList
            items={[
              { label: t("mfa"), value: summary?.totpEnrolledAt ? t("mfaOnSince", { date: when(summary.totpEnrolledAt) }) : t("mfaOff") },
              { label: t("recoveryCodesLeft"), value: summary?._count.recoveryCodes ?? 0 },
              { label: t("passwordChanged"), value: when(summary?.passwordChangedAt) },
              { label: t("openSessions"), value: summary?._count.sessions ?? 0 },
            ]}
          />
          <p className="mt-4 text-sm">
            <Link href="/account/password" className="text-brand-700 hover:underline">
              {t("changePassword")}
            </Link>
          </p>
        </Card>
        <Card title={t("recoveryCodes")}>
          <RegenerateCodes enrolled={!!summary?.totpEnrolledAt} />
        </Card>
        <Card title={t("sessions")}>
          <SignOutEverywhere />
        </Card>
      </div>
    </>
  );
}
