import Link from "next/link";
import { forbidden } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { JOB_STATES, listDeadLetters, listJobRuns, listQueues, type JobState } from "@/lib/jobs/queries";
import { DEAD_LETTER_QUEUE } from "@/lib/jobs/catalog";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/button";
import { Table, Td, Th } from "@/components/ui/table";
import { RetryJobForm } from "@/components/admin/job-retry-form";

export async function generateMetadata() {
  const t = await getTranslations("jobs");
  return { title: t("title") };
}

const VIEWS = ["failed", "runs", "dead"] as const;
type View = (typeof VIEWS)[number];
const STATE_TONE: Record<JobState, "neutral" | "green" | "amber" | "red" | "blue"> = {
  created: "neutral",
  retry: "amber",
  active: "blue",
  completed: "green",
  cancelled: "neutral",
  failed: "red",
};

const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

/** Background jobs (issue 10 §1): each pg-boss queue's state and schedule, its runs, failures and dead letters. */
export default async function JobsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  if (!can(actor, "jobs:manage")) forbidden();
  const sp = await searchParams;
  const view: View = VIEWS.find((v) => v === one(sp.view)) ?? "failed";
  const cursor = one(sp.cursor);
  const [queues, t, format] = await Promise.all([listQueues(actor), getTranslations("jobs"), getFormatter()]);
  const names = queues.map((q) => q.name);
  const queue = names.includes(one(sp.queue) ?? "") ? one(sp.queue) : undefined;
  const when = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: "short", timeStyle: "medium" }) : "–");
  const duration = (ms: number | null) =>
    ms === null ? "–" : ms < 10_000 ? t("durationMs", { ms }) : t("durationS", { s: Math.round(ms / 100) / 10 });
  const href = (params: { view?: View; queue?: string; cursor?: string }) => {
    const q = new URLSearchParams();
    if (params.view && params.view !== "failed") q.set("view", params.view);
    if (params.queue) q.set("queue", params.queue);
    if (params.cursor) q.set("cursor", params.cursor);
    const s = q.toString();
    return s ? `/admin/jobs?${s}` : "/admin/jobs";
  };
  const runs = view === "dead" ? null : await listJobRuns(actor, { queue, failedOnly: view === "failed", cursor });
  const dead = view === "dead" ? await listDeadLetters(actor, { queue, cursor }) : null;
  const nextCursor = runs?.nextCursor ?? dead?.nextCursor ?? null;
  const retried = /^[0-9a-f-]{36}$/i.test(one(sp.retried) ?? "") ? one(sp.retried) : undefined;

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {retried ? (
        <p role="status" className="mb-4 rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800">
          {t("retried", { id: retried })}
        </p>
      ) : null}
      <Card title={t("queues")}>
        <Table caption={t("queues")}>
          <thead>
            <tr>
              <Th>{t("queue")}</Th>
              <Th>{t("schedule")}</Th>
              {JOB_STATES.filter((s) => s !== "cancelled").map((s) => (
                <Th key={s} className="text-right">
                  {t(`states.${s}`)}
                </Th>
              ))}
              <Th>{t("lastRun")}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {queues.map((q) => (
              <tr key={q.name} data-testid={`queue-${q.name}`}>
                <Td>
                  {q.name === DEAD_LETTER_QUEUE ? (
                    <Link className="font-mono text-xs text-brand-700 hover:underline" href={href({ view: "dead" })}>
                      {q.name}
                    </Link>
                  ) : (
                    <Link
                      className="font-mono text-xs text-brand-700 hover:underline"
                      href={href({ view: "runs", queue: q.name })}
                      aria-label={t("showQueue", { queue: q.name })}
                    >
                      {q.name}
                    </Link>
                  )}
                </Td>
                <Td className="font-mono text-xs whitespace-nowrap">{q.cron ? `${q.cron} (${q.timeZone ?? "UTC"})` : t("noSchedule")}</Td>
                {JOB_STATES.filter((s) => s !== "cancelled").map((s) => (
                  <Td key={s} className="text-right tabular-nums" data-testid={`count-${s}`}>
                    {format.number(q.counts[s])}
                  </Td>
                ))}
                <Td className="text-xs whitespace-nowrap">
                  {q.lastRun ? (
                    <span className="inline-flex items-center gap-2">
                      <Badge tone={STATE_TONE[q.lastRun.state]}>{t(`states.${q.lastRun.state}`)}</Badge>
                      {when(q.lastRun.completedOn)} · {duration(q.lastRun.durationMs)}
                    </span>
                  ) : (
                    t("never")
                  )}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>

      <nav className="mt-6 flex flex-wrap items-center gap-2" aria-label={t("title")}>
        {VIEWS.map((v) => (
          <Link
            key={v}
            href={href({ view: v, queue })}
            aria-current={v === view ? "page" : undefined}
            className={`rounded-md px-3 py-1 text-sm ${v === view ? "bg-brand-700 text-white" : "text-brand-700 hover:underline"}`}
          >
            {t(`views.${v}`)}
          </Link>
        ))}
        {queue ? (
          <span className="ml-2 text-sm text-slate-600">
            {t("filteredBy", { queue })} ·{" "}
            <Link className="text-brand-700 hover:underline" href={href({ view })}>
              {t("clearFilter")}
            </Link>
          </span>
        ) : null}
      </nav>

      <div className="mt-3 space-y-3">
        {runs ? (
          runs.rows.length === 0 ? (
            <EmptyState title={view === "failed" ? t("emptyFailed") : t("emptyRuns")} />
          ) : (
            <Table caption={t(`views.${view}`)}>
              <thead>
                <tr>
                  <Th>{t("queue")}</Th>
                  <Th>{t("state")}</Th>
                  <Th>{t("started")}</Th>
                  <Th>{t("ended")}</Th>
                  <Th className="text-right">{t("duration")}</Th>
                  <Th className="text-right">{t("attempts")}</Th>
                  <Th>{t("error")}</Th>
                  <Th>
                    <span className="sr-only">{t("retryForm.retry")}</span>
                  </Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {runs.rows.map((r) => (
                  <tr key={r.id} data-testid={`job-${r.id}`}>
                    <Td className="font-mono text-xs">{r.queue}</Td>
                    <Td>
                      <Badge tone={STATE_TONE[r.state]}>{t(`states.${r.state}`)}</Badge>
                    </Td>
                    <Td className="text-xs whitespace-nowrap">{when(r.startedOn)}</Td>
                    <Td className="text-xs whitespace-nowrap">{when(r.completedOn)}</Td>
                    <Td className="text-right text-xs tabular-nums">{duration(r.durationMs)}</Td>
                    <Td className="text-right text-xs tabular-nums">{r.retryCount}</Td>
                    <Td className="max-w-md text-xs break-words text-red-700">{r.error}</Td>
                    <Td>{r.state === "failed" ? <RetryJobForm queue={r.queue} jobId={r.id} /> : null}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )
        ) : null}
        {dead ? (
          dead.rows.length === 0 ? (
            <EmptyState title={t("emptyDead")} />
          ) : (
            <Table caption={t("views.dead")}>
              <thead>
                <tr>
                  <Th>{t("queue")}</Th>
                  <Th>{t("source")}</Th>
                  <Th>{t("deadCreated")}</Th>
                  <Th className="text-right">{t("attempts")}</Th>
                  <Th>{t("error")}</Th>
                  <Th>
                    <span className="sr-only">{t("retryForm.retry")}</span>
                  </Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {dead.rows.map((d) => (
                  <tr key={d.id} data-testid={`dead-${d.id}`}>
                    <Td className="font-mono text-xs">{d.sourceQueue ?? "–"}</Td>
                    <Td className="font-mono text-xs">{d.sourceId ?? "–"}</Td>
                    <Td className="text-xs whitespace-nowrap">{when(d.createdOn)}</Td>
                    <Td className="text-right text-xs tabular-nums">{d.sourceRetryCount ?? "–"}</Td>
                    <Td className="max-w-md text-xs break-words text-red-700">{d.error}</Td>
                    <Td>
                      {d.sourceRetryable && d.sourceQueue && d.sourceId ? (
                        <RetryJobForm queue={d.sourceQueue} jobId={d.sourceId} deadLetterId={d.id} />
                      ) : (
                        <span className="text-xs text-slate-500">{t("sourceGone")}</span>
                      )}
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )
        ) : null}
        <div className="flex gap-2">
          {cursor ? <LinkButton href={href({ view, queue })}>{t("newest")}</LinkButton> : null}
          {nextCursor ? <LinkButton href={href({ view, queue, cursor: nextCursor })}>{t("older")}</LinkButton> : null}
        </div>
      </div>
    </>
  );
}
