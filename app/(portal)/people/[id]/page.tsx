import { forbidden, notFound } from "next/navigation";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { getPersonDetail } from "@/lib/people/queries";
import { Badge, Card, DescriptionList, PageHeader } from "@/components/ui/card";
import { RevealPii } from "@/components/people/reveal-pii";
import { AccountActions } from "@/components/people/account-actions";

export default async function PersonPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  if (!can(actor, "people:read")) forbidden();
  const { id } = await params;
  const person = await getPersonDetail(actor, id);
  if (person === null) notFound();
  if (person === "forbidden") forbidden();
  const [t, tp, tr, format, locale] = await Promise.all([getTranslations("personDetail"), getTranslations("people"), getTranslations("roles"), getFormatter(), getLocale()]);
  const canReveal = can(actor, "people:reveal-pii", { orgUnitPath: person.orgUnit.path });
  const when = (d: Date | null | undefined) => (d ? format.dateTime(d, { dateStyle: "medium", timeStyle: "short" }) : "—");
  return (
    <>
      <PageHeader title={`${person.name} · ${person.employeeNo}`} description={`${locale === "en" && person.orgUnit.nameEn ? person.orgUnit.nameEn : person.orgUnit.name} · ${person.jobTitle}`} />
      <div className="grid gap-4 lg:grid-cols-3">
        <Card title={t("profile")} className="lg:col-span-2">
          <DescriptionList
            items={[
              { label: tp("employeeNo"), value: person.employeeNo },
              { label: tp("name"), value: person.name },
              { label: tp("employmentType"), value: person.employmentType === "THIRD_PARTY" ? `${tp("types.THIRD_PARTY")} · ${person.vendorName ?? ""}` : tp("types.EMPLOYEE") },
              { label: tp("status"), value: <Badge tone={person.status === "ACTIVE" ? "green" : "amber"}>{tp(`statuses.${person.status}`)}</Badge> },
              { label: tp("phone"), value: <RevealPii personId={person.id} field="phone" masked={person.phoneMasked} canReveal={canReveal} /> },
              { label: tp("email"), value: <RevealPii personId={person.id} field="email" masked={person.emailMasked} canReveal={canReveal} /> },
              { label: tp("idNumber"), value: <RevealPii personId={person.id} field="idNumber" masked={person.idNumberMasked} canReveal={canReveal} /> },
              { label: t("createdAt"), value: when(person.createdAt) },
            ]}
          />
        </Card>
        <Card title={t("masterAccount")}>
          {person.account ? (
            <DescriptionList
              items={[
                { label: t("accountStatus"), value: <Badge tone={person.account.status === "ACTIVE" ? "green" : "red"}>{t(`accountStatuses.${person.account.status}`)}</Badge> },
                { label: t("mfa"), value: person.account.totpEnrolledAt ? t("mfaOn") : t("mfaOff") },
                { label: t("lastSignIn"), value: when(person.account.lastSignInAt) },
                { label: t("openSessions"), value: person.account.openSessions },
              ]}
            />
          ) : (
            <p className="text-sm text-slate-600">{t("noAccount")}</p>
          )}
        </Card>
        <Card title={t("portalRoles")} className="lg:col-span-2">
          {person.roles.length ? (
            <ul className="space-y-1 text-sm">
              {person.roles.map((r) => (
                <li key={r.id}>
                  <Badge tone="blue">{tr(r.role)}</Badge>{" "}
                  {r.system ? `${r.system.code} · ${r.system.name}` : r.orgUnit ? (locale === "en" && r.orgUnit.nameEn ? r.orgUnit.nameEn : r.orgUnit.name) : ""}
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-slate-600">{t("noRoles")}</p>
          )}
        </Card>
        {person.account && can(actor, "accounts:manage") && person.id !== actor.personId ? (
          <Card title={t("accountActions")}>
            <AccountActions personId={person.id} accountId={person.account.id} status={person.account.status} mfaEnrolled={!!person.account.totpEnrolledAt} />
          </Card>
        ) : null}
      </div>
    </>
  );
}
