import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { DomainError } from "@/lib/errors";
import { getReviewItem, type GrantFacts, type ReviewItemDetail } from "@/lib/reviews/inbox-queries";
import { Badge, Card, DescriptionList, PageHeader } from "@/components/ui/card";
import { FormNotice } from "@/components/ui/field";
import { Table, Td, Th } from "@/components/ui/table";
import { DecideReviewForm, ReassignReviewForm } from "@/components/reviews/inbox/decide-review-form";
import { recommendationReason } from "@/components/reviews/inbox/recommendation";

export async function generateMetadata() {
  const t = await getTranslations("reviewItem");
  return { title: t("title") };
}

async function load(id: string): Promise<ReviewItemDetail | null> {
  const actor = await requireActor();
  try {
    return await getReviewItem(actor, id);
  } catch (error) {
    if (error instanceof DomainError && error.code === "NOT_FOUND") return null;
    throw error;
  }
}

export default async function ReviewItemPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const item = await load(id);
  if (!item) notFound();
  const [t, tInbox, tStatus, tAccount, format, locale] = await Promise.all([
    getTranslations("reviewItem"),
    getTranslations("reviewsInbox"),
    getTranslations("people.statuses"),
    getTranslations("catalog.slaveStatuses"),
    getFormatter(),
    getLocale(),
  ]);
  const en = locale === "en";
  const when = (v: Date | string | null | undefined) =>
    v ? format.dateTime(new Date(v), { dateStyle: "medium", timeStyle: "short" }) : "—";
  const day = (v: Date | string | null | undefined) => (v ? format.dateTime(new Date(v), { dateStyle: "medium" }) : "—");
  const { person, account, system } = item.facts;
  const grants: (GrantFacts & { sensitive?: boolean })[] = item.facts.grant
    ? "roles" in item.facts.grant
      ? item.facts.grant.roles
      : [item.facts.grant]
    : [];
  const findings = (item.facts.findings ?? []).flat();
  const shownAt = new Date().toISOString();
  return (
    <>
      <PageHeader
        title={t("title")}
        description={
          <>
            {t("campaign", { number: item.campaign.number, name: item.campaign.name })} ·{" "}
            {t("stage", { stage: item.stage + 1, stages: item.campaign.stages })} ·{" "}
            {t("deadline", { when: day(new Date(item.campaign.deadlineAt.getTime() - 1)) })}
          </>
        }
        actions={
          <Link href="/reviews/inbox" className="text-sm text-brand-700 hover:underline">
            {t("back")}
          </Link>
        }
      />
      {query.decided ? <FormNotice message={t("decidedNotice")} /> : null}
      {query.reassigned ? <FormNotice message={t("form.reassigned")} /> : null}
      {item.campaign.status === "CLOSED" ? <p className="mb-3 text-sm text-slate-600">{t("closed")}</p> : null}
      <div className="mt-4 grid gap-4 lg:grid-cols-3">
        <div className="space-y-4 lg:col-span-2">
          <Card title={t("person")}>
            {person ? (
              <DescriptionList
                items={[
                  { label: t("person"), value: person.name },
                  { label: t("employeeNo"), value: person.employeeNo },
                  { label: t("orgUnit"), value: (en ? person.orgUnitEn : null) ?? person.orgUnit ?? "—" },
                  { label: t("jobTitle"), value: person.jobTitle ?? "—" },
                  {
                    label: t("employmentType"),
                    value: t(`employmentTypes.${person.employmentType === "THIRD_PARTY" ? "THIRD_PARTY" : "EMPLOYEE"}`),
                  },
                  { label: t("personStatus"), value: tStatus.has(person.status) ? tStatus(person.status) : person.status },
                  ...(person.employmentType === "THIRD_PARTY"
                    ? [
                        { label: t("vendor"), value: person.vendor ?? "—" },
                        { label: t("sponsor"), value: person.sponsor ?? "—" },
                        { label: t("contractEndsOn"), value: day(person.contractEndsOn) },
                      ]
                    : []),
                ]}
              />
            ) : (
              <p className="text-sm text-slate-700">{t("orphan")}</p>
            )}
          </Card>
          <Card title={t("account")}>
            <DescriptionList
              items={[
                { label: t("system"), value: `${en ? (system.nameEn ?? system.name) : system.name} (${system.code})` },
                { label: t("loginName"), value: account.loginName },
                { label: t("accountStatus"), value: tAccount.has(account.status) ? tAccount(account.status) : account.status },
                { label: t("lastLoginAt"), value: account.lastLoginAt ? when(account.lastLoginAt) : tInbox("recommendations.never") },
                { label: t("createdAt"), value: when(account.createdAt) },
                { label: t("basis"), value: account.basis ?? "—" },
              ]}
            />
          </Card>
          {grants.map((g) => {
            const role = item.roles.find((r) => r.code === g.code);
            return (
              <Card key={g.code} title={`${t("grant")}: ${en ? (g.nameEn ?? g.name) : g.name}`}>
                <div className="mb-3 flex gap-1">
                  {item.isSensitive ? <Badge tone="red">{tInbox("sensitive")}</Badge> : null}
                  {g.administrative ? <Badge tone="amber">{t("administrative")}</Badge> : null}
                  {item.isThirdParty ? <Badge tone="amber">{tInbox("thirdParty")}</Badge> : null}
                </div>
                <DescriptionList
                  items={[
                    { label: t("role"), value: g.code },
                    { label: t("startsAt"), value: when(g.startsAt) },
                    { label: t("endsAt"), value: g.endsAt ? when(g.endsAt) : t("noEnd") },
                    { label: t("grantedBy"), value: g.grantedBy ?? "—" },
                    { label: t("request"), value: g.requestNumber ? `REQ-${String(g.requestNumber).padStart(6, "0")}` : t("noRequest") },
                    { label: t("reason"), value: g.reason ?? "—" },
                  ]}
                />
                {role?.permissions.length ? (
                  <div className="mt-4">
                    <Table caption={t("permissions", { role: role.name })}>
                      <thead>
                        <tr>
                          <Th>{t("permission")}</Th>
                          <Th>{t("sensitivityLevel")}</Th>
                          <Th>{t("operation")}</Th>
                        </tr>
                      </thead>
                      <tbody className="divide-y divide-slate-100">
                        {role.permissions.map((p) => (
                          <tr key={p.code}>
                            <Td>
                              {p.name} <span className="text-xs text-slate-500">{p.code}</span>
                            </Td>
                            <Td>{p.sensitivity}</Td>
                            <Td>{p.operation ?? "—"}</Td>
                          </tr>
                        ))}
                      </tbody>
                    </Table>
                  </div>
                ) : null}
              </Card>
            );
          })}
          {findings.length ? (
            <Card title={t("findings")}>
              <ul className="list-disc pl-5 text-sm">
                {findings.map((f, i) => (
                  <li key={`${f.code}-${i}`}>
                    {f.rule}: {f.code}
                  </li>
                ))}
              </ul>
            </Card>
          ) : null}
          <Card title={t("history")}>
            {item.history.length ? (
              <ol className="space-y-2 text-sm" data-testid="review-history">
                {item.history.map((h) => (
                  <li key={h.stage}>
                    <span className="font-medium">{t("historyStage", { stage: h.stage + 1 })}</span>:{" "}
                    {t("decidedBy", { decision: tInbox(`decisions.${h.decision}`), name: h.reviewer ?? "—", when: when(h.at) })}
                    {h.onBehalfOf ? ` (${t("historyOnBehalf", { name: h.onBehalfOf })})` : null} · {t(`sources.${h.source}`)}
                    {h.newEndsAt ? ` · ${t("newEndsAt", { when: day(h.newEndsAt) })}` : null}
                    {h.comment ? <p className="text-slate-600">“{h.comment}”</p> : null}
                  </li>
                ))}
              </ol>
            ) : (
              <p className="text-sm text-slate-600">{t("noHistory")}</p>
            )}
          </Card>
        </div>
        <div className="space-y-4">
          <Card title={t("recommendation")}>
            {item.recommendation ? (
              <p className="text-sm text-amber-800" data-testid="review-recommendation">
                <span className="font-medium">{tInbox(`recommendationCodes.${item.recommendation}`)}</span>:{" "}
                {recommendationReason(tInbox, format, item.recommendation, item.recommendationParams, (v) =>
                  tStatus.has(v) ? tStatus(v) : v,
                )}
              </p>
            ) : (
              <p className="text-sm text-slate-600">{t("noRecommendation")}</p>
            )}
          </Card>
          <Card title={t("reviewer")}>
            <p className="text-sm">
              {item.reviewer?.name ?? "—"} · <span className="text-slate-500">{t(`reviewerSources.${item.reviewerSource}`)}</span>
            </p>
            {item.routing ? (
              <p className="mt-2 text-sm text-slate-700" data-testid="review-routing">
                {item.routing.kind === "skipped"
                  ? t(item.routing.why === "self" ? "routing.self" : "routing.involved", { name: item.routing.name })
                  : t(`routing.${item.routing.kind}`, { name: item.routing.name })}
              </p>
            ) : null}
          </Card>
          {item.mayDecide ? (
            <Card title={t("form.decide")}>
              <DecideReviewForm
                itemId={item.id}
                shownAt={shownAt}
                commentRequiredToKeep={item.isSensitive}
                canShorten={item.hasGrant}
                onBehalfOf={item.onBehalfOf}
              />
            </Card>
          ) : item.status === "DECIDED" && item.decision ? (
            <Card title={t("decided")}>
              <p className="text-sm" data-testid="review-outcome">
                {t("decidedBy", {
                  decision: tInbox(`decisions.${item.decision}`),
                  name: item.decidedBy ?? "—",
                  when: when(item.decidedAt),
                })}
                {item.decisionSource ? ` · ${t(`sources.${item.decisionSource}`)}` : null}
              </p>
              {item.newEndsAt ? <p className="text-sm">{t("newEndsAt", { when: day(item.newEndsAt) })}</p> : null}
              <p className="mt-2 text-sm text-slate-600">{t(`applyStates.${item.applyState}`)}</p>
              {item.remediation ? (
                <p className="mt-1 text-sm">
                  {t("remediation")}: {t(`remediationStates.${item.remediation.state}`)}
                  {item.remediation.at ? ` · ${when(item.remediation.at)}` : null}
                </p>
              ) : null}
            </Card>
          ) : null}
          {item.mayReassign ? (
            <Card title={t("form.reassign")}>
              <ReassignReviewForm itemId={item.id} />
            </Card>
          ) : null}
        </div>
      </div>
    </>
  );
}
