import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { navigationFor } from "@/lib/authz/navigation";
import { getAccountSummary } from "@/lib/accounts/queries";
import { Card, PageHeader } from "@/components/ui/card";
import { countMyReviews } from "@/lib/reviews/inbox-queries";

export async function generateMetadata() {
  const t = await getTranslations("home");
  return { title: t("title") };
}

export default async function HomePage() {
  const actor = await requireActor();
  const t = await getTranslations("home");
  const tNav = await getTranslations("shell.nav");
  const format = await getFormatter();
  const account = await getAccountSummary(actor.accountId);
  const reviews = await countMyReviews(actor.personId);
  const areas = navigationFor(actor).filter((n) => n.href !== "/");
  return (
    <>
      <PageHeader title={t("welcome", { name: actor.name })} description={t("subtitle")} />
      <div className="grid gap-4 md:grid-cols-2">
        <Card title={t("yourAccount")}>
          <dl className="space-y-2 text-sm">
            <div className="flex justify-between gap-4">
              <dt className="text-slate-500">{t("employeeNo")}</dt>
              <dd>{actor.employeeNo}</dd>
            </div>
            <div className="flex justify-between gap-4">
              <dt className="text-slate-500">{t("department")}</dt>
              <dd>{account?.person.orgUnit.name}</dd>
            </div>
            <div className="flex justify-between gap-4">
              <dt className="text-slate-500">{t("jobTitle")}</dt>
              <dd>{account?.person.jobTitle}</dd>
            </div>
            <div className="flex justify-between gap-4">
              <dt className="text-slate-500">{t("mfa")}</dt>
              <dd>{account?.totpEnrolledAt ? t("mfaOn") : t("mfaOff")}</dd>
            </div>
            <div className="flex justify-between gap-4">
              <dt className="text-slate-500">{t("lastSignIn")}</dt>
              <dd>{account?.lastSignInAt ? format.dateTime(account.lastSignInAt, { dateStyle: "medium", timeStyle: "short" }) : "—"}</dd>
            </div>
          </dl>
        </Card>
        <Card title={t("yourWork")}>
          {areas.length ? (
            <ul className="space-y-2 text-sm">
              {areas.map((a) => (
                <li key={a.href}>
                  <Link href={a.href} className="font-medium text-brand-700 hover:underline">
                    {tNav(a.key)}
                  </Link>
                  <p className="text-slate-600">{t(`areas.${a.key}`)}</p>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-slate-600">{t("staffOnly")}</p>
          )}
        </Card>
        {reviews.open > 0 ? (
          <Card title={t("reviews.title")}>
            <ul className="space-y-1 text-sm" data-testid="home-reviews">
              <li className="font-medium">{t("reviews.open", { count: reviews.open })}</li>
              <li className={reviews.dueSoon ? "text-amber-800" : "text-slate-600"}>{t("reviews.dueSoon", { count: reviews.dueSoon })}</li>
              <li className={reviews.escalated ? "text-red-700" : "text-slate-600"}>
                {t("reviews.escalated", { count: reviews.escalated })}
              </li>
            </ul>
            <Link href="/reviews/inbox" className="mt-3 inline-block text-sm font-medium text-brand-700 hover:underline">
              {t("reviews.openLink")}
            </Link>
          </Card>
        ) : null}
      </div>
    </>
  );
}
