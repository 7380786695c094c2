import { forbidden, notFound } from "next/navigation";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can, systemsScope } from "@/lib/authz/can";
import { getPersonDetail } from "@/lib/people/queries";
import { Badge, Card, DescriptionList, PageHeader } from "@/components/ui/card";
import { RevealPii } from "@/components/people/reveal-pii";
import { AccountActions } from "@/components/people/account-actions";
import { GrantRoleForm, RevokeGrantForm } from "@/components/people/access-forms";
import { grantableRoles, listPersonAccess } from "@/lib/grants/queries";
import { Table, Td, Th } from "@/components/ui/table";
import { listPersonHistory } from "@/lib/audit/queries";
import { EditPersonForm, PersonStatusForm } from "@/components/people/person-forms";
import Link from "next/link";
import { OffboardingLinks } from "@/components/offboarding/offboarding-links";
import { PersonSlaveAccounts } from "@/components/slave-accounts/person-slave-accounts";
import { OneTimePasswordForm } from "@/components/people/one-time-password-form";
import { canIssueOneTimePassword } from "@/lib/accounts/issue-one-time-password";
import { previewMoverRevocations } from "@/lib/people/mover";
import { isoDay } from "@/lib/time/calendar-input";

export default async function PersonPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireActor();
  if (!can(actor, "people:read")) forbidden();
  const { id } = await params;
  const person = await getPersonDetail(actor, id);
  if (person === null) notFound();
  if (person === "forbidden") forbidden();
  const [t, tp, tr, ts, format, locale] = await Promise.all([
    getTranslations("personDetail"),
    getTranslations("people"),
    getTranslations("roles"),
    getTranslations("staffAdmin"),
    getFormatter(),
    getLocale(),
  ]);
  const created = !!(await searchParams).created;
  // HR edits the record and changes the status (never their own: another HR user does that).
  const manage = can(actor, "people:manage", { orgUnitPath: person.orgUnit.path });
  const editable = manage && person.status !== "LEFT";
  const day = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: "medium", timeZone: "UTC" }) : "—");
  const orgLabel = (o: { name: string; nameEn: string | null }) => (locale === "en" && o.nameEn ? o.nameEn : o.name);
  const canReveal = can(actor, "people:reveal-pii", { orgUnitPath: person.orgUnit.path });
  const when = (d: Date | null | undefined) => (d ? format.dateTime(d, { dateStyle: "medium", timeStyle: "short" }) : "—");
  const showAccess = can(actor, "grants:read");
  const scope = systemsScope(actor);
  const [access, roles, ta] = await Promise.all([
    showAccess ? listPersonAccess(person.id) : Promise.resolve([]),
    showAccess ? grantableRoles(actor) : Promise.resolve([]),
    getTranslations("access"),
  ]);
  const history =
    can(actor, "audit:read") || can(actor, "people:manage", { orgUnitPath: person.orgUnit.path })
      ? await listPersonHistory(person.id)
      : null;
  const tAudit = await getTranslations("audit.actions");
  const visibleAccess = scope ? access.filter((a) => scope.includes(a.system.id)) : access;
  const now = new Date();
  return (
    <>
      <PageHeader
        title={`${person.name} · ${person.employeeNo}`}
        description={`${locale === "en" && person.orgUnit.nameEn ? person.orgUnit.nameEn : person.orgUnit.name} · ${person.jobTitle}`}
      />
      {created ? (
        <p role="status" className="mb-4 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          {ts("created")}
        </p>
      ) : null}
      <div className="grid gap-4 lg:grid-cols-3">
        <Card title={t("profile")} className="lg:col-span-2">
          <DescriptionList
            items={[
              { label: tp("employeeNo"), value: person.employeeNo },
              { label: tp("name"), value: person.name },
              {
                label: tp("employmentType"),
                value:
                  person.employmentType === "THIRD_PARTY"
                    ? `${tp("types.THIRD_PARTY")} · ${person.vendorName ?? ""}`
                    : tp("types.EMPLOYEE"),
              },
              {
                label: tp("status"),
                value: <Badge tone={person.status === "ACTIVE" ? "green" : "amber"}>{tp(`statuses.${person.status}`)}</Badge>,
              },
              ...(person.employmentType === "THIRD_PARTY"
                ? [
                    {
                      label: ts("sponsor"),
                      value: person.sponsor ? (
                        <>
                          <Link href={`/people/${person.sponsor.id}`} className="text-brand-700 hover:underline">
                            {person.sponsor.name}
                          </Link>{" "}
                          ({person.sponsor.employeeNo})
                          {person.sponsor.status !== "ACTIVE" ? (
                            <>
                              {" "}
                              <Badge tone="red">{tp(`statuses.${person.sponsor.status}`)}</Badge>
                            </>
                          ) : null}
                        </>
                      ) : (
                        <span className="text-amber-700">{ts("noSponsor")}</span>
                      ),
                    },
                    { label: ts("contractEndsOn"), value: <span data-testid="contract-ends">{day(person.contractEndsOn)}</span> },
                  ]
                : person.sponsoredCount > 0
                  ? [{ label: ts("sponsoring"), value: ts("sponsoringCount", { count: person.sponsoredCount }) }]
                  : []),
              {
                label: ts("jobCategories"),
                value: person.jobCategories.length ? person.jobCategories.map((c) => ts(`jobCategoryNames.${c}`)).join("、") : "—",
              },
              {
                label: tp("phone"),
                value: <RevealPii personId={person.id} field="phone" masked={person.phoneMasked} canReveal={canReveal} />,
              },
              {
                label: tp("email"),
                value: <RevealPii personId={person.id} field="email" masked={person.emailMasked} canReveal={canReveal} />,
              },
              {
                label: tp("idNumber"),
                value: <RevealPii personId={person.id} field="idNumber" masked={person.idNumberMasked} canReveal={canReveal} />,
              },
              { label: t("createdAt"), value: when(person.createdAt) },
            ]}
          />
        </Card>
        <Card title={t("masterAccount")}>
          {person.account ? (
            <DescriptionList
              items={[
                {
                  label: t("accountStatus"),
                  value: (
                    <Badge tone={person.account.status === "ACTIVE" ? "green" : "red"}>
                      {t(`accountStatuses.${person.account.status}`)}
                    </Badge>
                  ),
                },
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
                  {r.system
                    ? `${r.system.code} · ${r.system.name}`
                    : r.orgUnit
                      ? locale === "en" && r.orgUnit.nameEn
                        ? r.orgUnit.nameEn
                        : r.orgUnit.name
                      : ""}
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-slate-600">{t("noRoles")}</p>
          )}
        </Card>
        {showAccess ? (
          <Card title={ta("title")} className="lg:col-span-2">
            {visibleAccess.length === 0 ? (
              <p className="text-sm text-slate-600">{ta("none")}</p>
            ) : (
              <Table caption={ta("title")}>
                <thead>
                  <tr>
                    <Th>{ta("system")}</Th>
                    <Th>{ta("loginName")}</Th>
                    <Th>{ta("role")}</Th>
                    <Th>{ta("period")}</Th>
                    <Th>{ta("status")}</Th>
                    <Th>{ta("reason")}</Th>
                    <Th>{ta("revoke")}</Th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100" data-testid="access">
                  {visibleAccess.flatMap((a) =>
                    a.grants.map((g) => {
                      const live = !g.revokedAt && (!g.endsAt || g.endsAt > now);
                      return (
                        <tr key={g.id} className={live ? "" : "text-slate-400"}>
                          <Td className="font-mono text-xs">{a.system.code}</Td>
                          <Td className="font-mono text-xs">{a.loginName}</Td>
                          <Td className="text-xs">
                            {g.role.code} · {locale === "en" && g.role.nameEn ? g.role.nameEn : g.role.name}
                          </Td>
                          <Td className="text-xs">
                            {when(g.startsAt)} → {g.endsAt ? when(g.endsAt) : ta("permanent")}
                          </Td>
                          <Td className="text-xs">
                            {live ? (
                              <Badge tone="green">{ta("live")}</Badge>
                            ) : g.revokeReason === "expired" ? (
                              ta("expired")
                            ) : (
                              ta("revokedAt", { when: when(g.revokedAt) })
                            )}
                          </Td>
                          <Td className="text-xs">
                            {g.reason}
                            {g.basis ? ` · ${g.basis}` : ""}
                          </Td>
                          <Td>
                            {live && can(actor, "grants:manage", { systemId: a.system.id }) ? (
                              <RevokeGrantForm personId={person.id} grantId={g.id} />
                            ) : null}
                          </Td>
                        </tr>
                      );
                    }),
                  )}
                </tbody>
              </Table>
            )}
          </Card>
        ) : null}
        {showAccess ? (
          <Card title={(await getTranslations("lifecycle.accounts"))("title")} className="lg:col-span-2">
            <PersonSlaveAccounts
              personId={person.id}
              accounts={visibleAccess.map((a) => ({
                id: a.id,
                loginName: a.loginName,
                status: a.status,
                system: { id: a.system.id, code: a.system.code },
                liveGrants: a.grants.filter((g) => !g.revokedAt && (!g.endsAt || g.endsAt > now)).length,
                manageable: can(actor, "grants:manage", { systemId: a.system.id }),
              }))}
            />
          </Card>
        ) : null}
        {roles.length && person.status === "ACTIVE" ? (
          <Card title={ta("grantTitle")}>
            <GrantRoleForm
              personId={person.id}
              roles={roles.map((r) => ({
                id: r.id,
                label: `${r.system.code} · ${r.code} · ${locale === "en" && r.nameEn ? r.nameEn : r.name}`,
              }))}
            />
          </Card>
        ) : null}
        {editable ? (
          <Card title={ts("editTitle")} className="lg:col-span-2">
            <EditPersonForm
              person={{
                id: person.id,
                name: person.name,
                orgUnitId: person.orgUnit.id,
                orgUnit: { id: person.orgUnit.id, label: orgLabel(person.orgUnit) },
                jobTitle: person.jobTitle,
                jobCategories: person.jobCategories,
                employmentType: person.employmentType,
                phoneMasked: person.phoneMasked,
                emailMasked: person.emailMasked,
                idNumberMasked: person.idNumberMasked,
                vendor: person.vendor ? { id: person.vendor.id, label: person.vendor.name } : null,
                sponsorEmployeeNo: person.sponsor?.employeeNo ?? "",
                contractEndsOn: isoDay(person.contractEndsOn) ?? "",
              }}
              sensitiveGrants={await previewMoverRevocations(person.id)}
            />
          </Card>
        ) : null}
        {manage && person.id !== actor.personId ? (
          <Card title={ts("statusTitle")}>
            <PersonStatusForm personId={person.id} status={person.status} />
            <OffboardingLinks personId={person.id} canOffboard={person.status !== "LEFT"} />
          </Card>
        ) : null}
        {history ? (
          <Card title={ta("history")} className="lg:col-span-3">
            {history.length === 0 ? (
              <p className="text-sm text-slate-600">{ta("noHistory")}</p>
            ) : (
              <ol className="space-y-1 text-xs" data-testid="person-history">
                {history.map((e) => (
                  <li key={e.id.toString()} className="flex flex-wrap gap-x-3">
                    <span className="text-slate-500">{when(e.occurredAt)}</span>
                    <span className="font-medium">{tAudit(e.action as "auth.sign-out")}</span>
                    <span className="text-slate-600">{e.actorName}</span>
                    {e.reason ? <span className="text-slate-600">· {e.reason}</span> : null}
                  </li>
                ))}
              </ol>
            )}
          </Card>
        ) : null}
        {canIssueOneTimePassword(actor, { id: person.id, status: person.status, hasPortalRoles: person.roles.length > 0 }) ? (
          <Card title={(await getTranslations("lifecycle.password"))("title")}>
            <OneTimePasswordForm personId={person.id} employeeNo={person.employeeNo} hasAccount={!!person.account} />
          </Card>
        ) : null}
        {person.account && can(actor, "accounts:manage") && person.id !== actor.personId ? (
          <Card title={t("accountActions")}>
            <AccountActions
              personId={person.id}
              accountId={person.account.id}
              status={person.account.status}
              mfaEnrolled={!!person.account.totpEnrolledAt}
            />
          </Card>
        ) : null}
      </div>
    </>
  );
}
