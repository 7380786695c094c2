import Link from "next/link";
import { forbidden, notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { getRequestDetail } from "@/lib/requests/queries";
import { Badge, Card, DescriptionList, PageHeader } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/button";
import { ClassBadges, RequestStatusBadge } from "@/components/requests/badges";
import { CancelForm, DecideForm } from "@/components/requests/decision-forms";

export async function generateMetadata() {
  const t = await getTranslations("requests.detail");
  return { title: t("title") };
}

const STAGE_TONE = {
  WAITING: "neutral",
  ACTIVE: "amber",
  APPROVED: "green",
  REJECTED: "red",
  SKIPPED: "neutral",
  CANCELLED: "neutral",
  EXPIRED: "neutral",
} as const;

export default async function RequestPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireActor();
  const { id } = await params;
  const r = await getRequestDetail(actor, id);
  if (r === null) notFound();
  if (r === "forbidden") forbidden();
  const [t, tStages, tRules, tSources, tStageStatus, tm, format] = await Promise.all([
    getTranslations("requests.detail"),
    getTranslations("requests.stages"),
    getTranslations("requests.rules"),
    getTranslations("requests.sources"),
    getTranslations("requests.stageStatuses"),
    getTranslations("requests.matrix"),
    getFormatter(),
  ]);
  const sp = await searchParams;
  const submitted = !!sp.submitted;
  const decided =
    typeof sp.decided === "string" && ["PENDING", "APPROVED", "REJECTED"].includes(sp.decided)
      ? (sp.decided as "PENDING" | "APPROVED" | "REJECTED")
      : null;
  const cancelled = !!sp.cancelled;
  const when = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: "medium", timeStyle: "short" }) : "—");
  const person = (p: { name: string; employeeNo: string }) => `${p.name} (${p.employeeNo})`;
  return (
    <>
      <PageHeader
        title={`${r.label} · ${r.role?.name ?? (r.kind === "MATRIX_CHANGE" ? tm("title") : "")}`}
        description={r.system.name}
        actions={<LinkButton href="/requests">{t("back")}</LinkButton>}
      />
      {submitted || decided || cancelled ? (
        <p
          role="status"
          className="mb-4 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800"
          data-testid="request-notice"
        >
          {submitted
            ? t("submitted")
            : decided
              ? r.kind === "MATRIX_CHANGE" && decided === "APPROVED"
                ? tm("approvedNotice")
                : t(`decided.${decided}`)
              : t("cancelled")}
        </p>
      ) : null}
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="space-y-4 lg:col-span-2">
          <Card title={t("summary")} actions={<RequestStatusBadge status={r.status} />}>
            <DescriptionList
              items={[
                {
                  label: t("for"),
                  value: (
                    <>
                      {person(r.subject)}{" "}
                      {r.subject.employmentType === "THIRD_PARTY" ? <Badge tone="amber">{t("thirdParty")}</Badge> : null}
                    </>
                  ),
                },
                { label: t("requester"), value: person(r.requester) },
                {
                  label: t("access"),
                  value: (
                    <>
                      {r.role?.name ?? (r.kind === "MATRIX_CHANGE" ? tm("title") : "—")} · {r.system.name}{" "}
                      <ClassBadges isSensitive={r.isSensitive} isAdministrative={r.isAdministrative} kind={r.kind} />
                    </>
                  ),
                },
                ...(r.kind === "MATRIX_CHANGE"
                  ? []
                  : [
                      {
                        label: t("period"),
                        value: <span data-testid="request-period">{r.endsAt ? t("until", { date: when(r.endsAt) }) : t("permanent")}</span>,
                      },
                    ]),
                { label: t("submittedAt"), value: when(r.createdAt) },
                {
                  label: r.status === "PENDING" ? t("expiresAt") : t("closedAt"),
                  value: r.status === "PENDING" ? when(r.expiresAt) : when(r.decidedAt),
                },
                { label: t("justification"), value: <span className="whitespace-pre-wrap">{r.justification}</span> },
                ...(r.renewsGrant ? [{ label: t("renews"), value: t("renewsGrant", { date: when(r.renewsGrant.endsAt) }) }] : []),
                ...(r.closingNote ? [{ label: t("closingNote"), value: r.closingNote }] : []),
              ]}
            />
            {r.status === "APPROVED" ? (
              <p className="mt-3 rounded border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800" data-testid="granted">
                {r.grant
                  ? t("grantedUntil", { date: r.grant.endsAt ? when(r.grant.endsAt) : t("permanent") })
                  : r.renewsGrant
                    ? t("renewedUntil", { date: when(r.endsAt) })
                    : null}
              </p>
            ) : null}
          </Card>

          {r.matrixChange ? (
            <Card title={tm("title")}>
              <div className="grid gap-3 text-sm sm:grid-cols-2" data-testid="matrix-change">
                {(["add", "remove"] as const).map((side) => (
                  <div key={side}>
                    <p className="text-xs font-medium text-slate-600">
                      {tm(side === "add" ? "added" : "removed", { count: r.matrixChange![side].length })}
                    </p>
                    <ul className="mt-1 space-y-0.5 font-mono text-xs">
                      {r.matrixChange![side].map((c) => (
                        <li key={`${c.roleId}:${c.permissionId}`} className={side === "add" ? "text-emerald-800" : "text-red-700"}>
                          {side === "add" ? "+" : "−"} {c.role} × {c.permission}
                        </li>
                      ))}
                    </ul>
                  </div>
                ))}
              </div>
              {r.status === "APPROVED" ? <p className="mt-2 text-sm text-emerald-800">{tm("applied")}</p> : null}
            </Card>
          ) : null}

          <Card title={t("timeline")}>
            <ol className="space-y-4" data-testid="timeline">
              {r.stages.map((s) => (
                <li key={s.id} className="rounded-md border border-slate-200 p-3">
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <p className="font-medium text-slate-900">
                      {s.position + 1}. {tStages(s.kind)}{" "}
                      <span className="text-xs font-normal text-slate-500">{tRules(s.rule, { count: s.requiredCount })}</span>
                    </p>
                    <Badge tone={STAGE_TONE[s.status]}>{tStageStatus(s.status)}</Badge>
                  </div>
                  {s.approvers.length ? (
                    <ul className="mt-2 flex flex-wrap gap-1 text-xs">
                      {s.approvers.map((a) => (
                        <li
                          key={a.approverId}
                          className={`rounded px-1.5 py-0.5 ${a.isOpen ? "bg-amber-50 text-amber-900" : "bg-slate-100 text-slate-700"}`}
                        >
                          {person(a.approver)}
                          {a.source !== "RESOLVED" ? ` · ${tSources(a.source, { name: a.onBehalfOfName ?? "" })}` : ""}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                  {s.decisions.length ? (
                    <ul className="mt-2 space-y-1 text-sm">
                      {s.decisions.map((d) => (
                        <li key={d.id} data-testid="decision">
                          <Badge tone={d.outcome === "APPROVE" ? "green" : "red"}>{t(`outcomes.${d.outcome}`)}</Badge>{" "}
                          {t("decisionBy", { name: person(d.approver), when: when(d.createdAt) })}
                          {d.onBehalfOfName ? ` ${t("onBehalfOf", { name: d.onBehalfOfName })}` : ""}
                          {d.comment ? <span className="block whitespace-pre-wrap pl-2 text-slate-600">“{d.comment}”</span> : null}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              ))}
            </ol>
          </Card>
        </div>
        <div className="space-y-4">
          {r.viewer.canDecide && r.activeStageId ? (
            <Card title={t("decideTitle")}>
              <DecideForm requestId={r.id} stageId={r.activeStageId} onBehalfOf={r.viewer.onBehalfOfName} />
            </Card>
          ) : null}
          {r.viewer.canCancel ? (
            <Card title={t("cancelTitle")}>
              <CancelForm requestId={r.id} />
            </Card>
          ) : null}
          <Card title={t("links")}>
            <ul className="space-y-1 text-sm">
              <li>
                <Link className="text-brand-700 hover:underline" href="/approvals">
                  {t("toInbox")}
                </Link>
              </li>
              <li>
                <Link className="text-brand-700 hover:underline" href="/requests/new">
                  {t("newRequest")}
                </Link>
              </li>
            </ul>
          </Card>
        </div>
      </div>
    </>
  );
}
