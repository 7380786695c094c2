import Link from "next/link";
import { forbidden } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { listCampaigns, listDefinitions } from "@/lib/reviews/campaign-queries";
import { formatCampaignNumber, formatDefinitionNumber } from "@/lib/reviews/schemas";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { LinkButton } from "@/components/ui/button";
import { RetireDefinitionForm, StartNowForm } from "@/components/reviews/campaigns/campaign-forms";

export async function generateMetadata() {
  const t = await getTranslations("reviewsCampaigns.list");
  return { title: t("title") };
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/**
 * Access review campaigns, newest first, 50 a page (keyset), with their progress; and the active
 * definitions (schedule, next start, start now, retire). Officers see all; an account administrator
 * the ones whose scope systems are all theirs.
 */
export default async function ReviewsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  if (!can(actor, "reviews:manage")) forbidden();
  const params = await searchParams;
  const cursor = one(params.after)?.slice(0, 300) ?? null;
  const [page, definitions, t, format] = await Promise.all([
    listCampaigns(actor, cursor),
    cursor ? Promise.resolve(null) : listDefinitions(actor),
    getTranslations("reviewsCampaigns.list"),
    getFormatter(),
  ]);
  const when = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: "medium", timeStyle: "short" }) : "—");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} actions={<LinkButton href="/reviews/new">{t("new")}</LinkButton>} />
      {one(params.defined) ? (
        <p role="status" className="mb-4 rounded-md bg-emerald-50 p-3 text-sm text-emerald-800">
          {t("defined")}
        </p>
      ) : null}
      <h2 className="mb-2 text-base font-semibold text-slate-800">{t("campaigns")}</h2>
      {page.rows.length === 0 ? (
        <EmptyState title={t("empty")} />
      ) : (
        <Table caption={t("campaigns")}>
          <thead>
            <tr>
              <Th>{t("number")}</Th>
              <Th>{t("name")}</Th>
              <Th>{t("status")}</Th>
              <Th>{t("started")}</Th>
              <Th>{t("deadline")}</Th>
              <Th>{t("progress")}</Th>
            </tr>
          </thead>
          <tbody>
            {page.rows.map((c) => {
              const percent = c.itemCount ? Math.floor((100 * c.decided) / c.itemCount) : 0;
              return (
                <tr key={c.id}>
                  <Td>
                    <Link className="font-medium text-brand-700 hover:underline" href={`/reviews/${c.id}`}>
                      {formatCampaignNumber(c.number)}
                    </Link>
                  </Td>
                  <Td>{c.name}</Td>
                  <Td>
                    <Badge tone={c.status === "ACTIVE" ? "amber" : "green"}>{t(`statuses.${c.status}`)}</Badge>
                  </Td>
                  <Td>{when(c.startedAt)}</Td>
                  <Td>{when(c.closedAt ?? c.deadlineAt)}</Td>
                  <Td>
                    <div className="flex items-center gap-2">
                      <div className="h-2 w-24 rounded bg-slate-100" aria-hidden>
                        <div className="h-2 rounded bg-brand-600" style={{ width: `${percent}%` }} />
                      </div>
                      <span className="text-xs text-slate-600">
                        {t("progressValue", { percent, decided: c.decided, items: c.itemCount })}
                      </span>
                    </div>
                  </Td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      )}
      <nav className="mt-3 flex gap-4 text-sm">
        {cursor ? (
          <Link className="text-brand-700 hover:underline" href="/reviews">
            {t("newest")}
          </Link>
        ) : null}
        {page.nextCursor ? (
          <Link className="text-brand-700 hover:underline" href={`/reviews?${new URLSearchParams({ after: page.nextCursor })}`}>
            {t("older")}
          </Link>
        ) : null}
      </nav>
      {definitions ? (
        <Card title={t("definitions")} className="mt-6">
          {definitions.length === 0 ? (
            <p className="text-sm text-slate-600">{t("emptyDefinitions")}</p>
          ) : (
            <Table caption={t("definitions")}>
              <thead>
                <tr>
                  <Th>{t("number")}</Th>
                  <Th>{t("name")}</Th>
                  <Th>{t("schedule")}</Th>
                  <Th>{t("duration")}</Th>
                  <Th>{t("nextStart")}</Th>
                  <Th>{t("campaignCount")}</Th>
                  <Th>{t("actions")}</Th>
                </tr>
              </thead>
              <tbody>
                {definitions.map((d) => (
                  <tr key={d.id}>
                    <Td>{formatDefinitionNumber(d.number)}</Td>
                    <Td>{d.name}</Td>
                    <Td>{t(`schedules.${d.schedule}`)}</Td>
                    <Td>{t("durationValue", { days: d.durationDays })}</Td>
                    <Td>{d.nextStartAt ? format.dateTime(d.nextStartAt, { dateStyle: "medium" }) : t("noNextStart")}</Td>
                    <Td>{d.campaigns}</Td>
                    <Td>
                      <div className="flex flex-wrap items-end gap-3">
                        <StartNowForm definitionId={d.id} label={formatDefinitionNumber(d.number)} />
                        <RetireDefinitionForm definitionId={d.id} label={formatDefinitionNumber(d.number)} />
                      </div>
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>
      ) : null}
    </>
  );
}
