import { forbidden, notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import {
  campaignProgress,
  decisionsPerDay,
  getCampaign,
  qualitySignals,
  remediationSummary,
  REVIEWERS_SHOWN,
  type DecisionCounts,
} from "@/lib/reviews/campaign-queries";
import { formatCampaignNumber, formatDefinitionNumber } from "@/lib/reviews/schemas";
import { Badge, Card, DescriptionList, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { buttonClass } from "@/components/ui/button";
import { CloseCampaignForm } from "@/components/reviews/campaigns/campaign-forms";
import { DecisionsChart } from "@/components/reviews/campaigns/decisions-chart";
import { QualitySignalsPanel } from "@/components/reviews/campaigns/quality-signals";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const t = await getTranslations("reviewsCampaigns.list");
  const { id } = await params;
  return { title: `${t("title")} · ${id.slice(0, 8)}` };
}

/**
 * One campaign's progress (by stage, by reviewer), decisions per day, remediation, closing early, the
 * exports, and for security officers the decision-quality signals. Account administrators only reach
 * campaigns whose systems are all theirs.
 */
export default async function CampaignPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  if (!can(actor, "reviews:manage")) forbidden();
  const { id } = await params;
  const campaign = await getCampaign(actor, id);
  if (!campaign) notFound();
  const quality = can(actor, "reviews:quality");
  const [progress, days, remediation, signals, t, tList, format] = await Promise.all([
    campaignProgress(campaign.id),
    decisionsPerDay(campaign.id),
    remediationSummary(campaign.id),
    quality ? qualitySignals(campaign.id) : null,
    getTranslations("reviewsCampaigns.detail"),
    getTranslations("reviewsCampaigns.list"),
    getFormatter(),
  ]);
  const when = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: "medium", timeStyle: "short" }) : "—");
  const closeCounts = campaign.closeCounts as { defaulted?: number } | null;
  const percent = campaign.itemCount ? Math.floor((100 * progress.decided) / campaign.itemCount) : 0;
  const counts = (c: DecisionCounts) => (
    <>
      <Td>{c.keep}</Td>
      <Td>{c.end}</Td>
      <Td>{c.shorten}</Td>
      <Td>{c.defaulted}</Td>
    </>
  );
  const countHeads = (
    <>
      <Th>{t("keep")}</Th>
      <Th>{t("end")}</Th>
      <Th>{t("shorten")}</Th>
      <Th>{t("defaulted")}</Th>
    </>
  );
  const exportHref = (format: string) => `/reviews/${campaign.id}/export?format=${format}`;
  return (
    <>
      <PageHeader
        title={`${formatCampaignNumber(campaign.number)} ${campaign.name}`}
        actions={<Badge tone={campaign.status === "ACTIVE" ? "amber" : "green"}>{tList(`statuses.${campaign.status}`)}</Badge>}
      />
      <div className="grid gap-4 lg:grid-cols-3">
        <Card title={t("progress")}>
          <div>
            <DescriptionList
              items={[
                { label: t("definition"), value: formatDefinitionNumber(campaign.definitionNumber) },
                { label: t("startedAt"), value: when(campaign.startedAt) },
                { label: t("deadline"), value: when(campaign.deadlineAt) },
                { label: t("closedAt"), value: <span data-testid="campaign-closed-at">{when(campaign.closedAt)}</span> },
                ...(closeCounts
                  ? [
                      {
                        label: `${t("closeCounts")}: ${t("defaulted")}`,
                        value: <span data-testid="campaign-defaulted">{closeCounts.defaulted}</span>,
                      },
                    ]
                  : []),
                { label: t("items"), value: campaign.itemCount },
                { label: t("open"), value: <span data-testid="campaign-open">{progress.open}</span> },
                {
                  label: t("decided"),
                  value: (
                    <span data-testid="campaign-decided">
                      {tList("progressValue", { percent, decided: progress.decided, items: campaign.itemCount })}
                    </span>
                  ),
                },
              ]}
            />
          </div>
        </Card>
        <Card title={t("remediation")}>
          <div data-testid="campaign-remediation">
            <DescriptionList
              items={[
                { label: t("pending"), value: remediation.pending },
                { label: t("applied"), value: remediation.applied },
                { label: t("remediated"), value: remediation.remediated },
                { label: t("openRemediation"), value: remediation.open },
                { label: t("otherRemediation"), value: remediation.other },
                { label: t("failed"), value: remediation.failed },
              ]}
            />
          </div>
        </Card>
        <Card title={t("exports")}>
          <div className="flex flex-col gap-2">
            <a className={buttonClass("secondary")} href={exportHref("csv")} download>
              {t("exportCsv")}
            </a>
            <a className={buttonClass("secondary")} href={exportHref("xlsx")} download>
              {t("exportXlsx")}
            </a>
            <a className={buttonClass("secondary")} href={exportHref("evidence")} download>
              {t("exportEvidence")}
            </a>
          </div>
        </Card>
      </div>
      <div className="mt-6 grid gap-4 lg:grid-cols-2">
        <Card title={t("byStage")}>
          <Table caption={t("byStage")}>
            <thead>
              <tr>
                <Th>{t("stage")}</Th>
                <Th>{t("open")}</Th>
                {countHeads}
              </tr>
            </thead>
            <tbody>
              {progress.stages.map((s) => (
                <tr key={s.stage}>
                  <Td>{t("stageN", { n: s.stage + 1 })}</Td>
                  <Td>{s.open}</Td>
                  {counts(s)}
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>
        <DecisionsChart days={days} />
      </div>
      <Card title={t("byReviewer")} className="mt-6">
        <Table caption={t("byReviewer")}>
          <thead>
            <tr>
              <Th>{t("reviewer")}</Th>
              <Th>{t("open")}</Th>
              {countHeads}
            </tr>
          </thead>
          <tbody>
            {progress.reviewers.map((r) => (
              <tr key={r.reviewerId ?? "none"}>
                <Td>
                  {r.reviewerId ? (
                    <>
                      {r.name} <span className="text-xs text-slate-500">{r.employeeNo}</span>
                    </>
                  ) : (
                    t("unassigned")
                  )}
                </Td>
                <Td>{r.open}</Td>
                {counts(r)}
              </tr>
            ))}
          </tbody>
        </Table>
        {progress.moreReviewers ? <p className="p-3 text-xs text-slate-500">{t("moreReviewers", { n: REVIEWERS_SHOWN })}</p> : null}
      </Card>
      {signals ? <QualitySignalsPanel signals={signals} /> : null}
      {campaign.status === "ACTIVE" ? (
        <Card title={t("close")} className="mt-6 max-w-xl">
          <div>
            <CloseCampaignForm campaignId={campaign.id} />
          </div>
        </Card>
      ) : null}
    </>
  );
}
