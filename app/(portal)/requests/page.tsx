import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { listMyRequests, REQUEST_STATUSES } from "@/lib/requests/queries";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { LinkButton, buttonClass } from "@/components/ui/button";
import { FilterField, filterControl } from "@/components/ui/filter-field";
import { ClassBadges, RequestStatusBadge } from "@/components/requests/badges";

export async function generateMetadata() {
  const t = await getTranslations("requests.list");
  return { title: t("title") };
}

export default async function MyRequestsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  const params = await searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const filter = { status: one(params.status), cursor: one(params.cursor) };
  const [page, t, ts, tStages, tMatrix, format] = await Promise.all([
    listMyRequests(actor, filter),
    getTranslations("requests.list"),
    getTranslations("requests.statuses"),
    getTranslations("requests.stages"),
    getTranslations("requests.matrix"),
    getFormatter(),
  ]);
  const status = REQUEST_STATUSES.find((s) => s === filter.status);
  const when = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeStyle: "short" });
  const next = new URLSearchParams(Object.entries({ status: status ?? "", cursor: page.nextCursor ?? "" }).filter(([, v]) => v));
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <LinkButton variant="primary" href="/requests/new" data-testid="new-request">
            {t("new")}
          </LinkButton>
        }
      />
      <form method="get" className="mb-4 flex flex-wrap items-end gap-3" role="search">
        <FilterField id="requests-status" label={t("status")}>
          <select id="requests-status" name="status" defaultValue={status ?? ""} className={filterControl}>
            <option value="">{t("all")}</option>
            {REQUEST_STATUSES.map((s) => (
              <option key={s} value={s}>
                {ts(s)}
              </option>
            ))}
          </select>
        </FilterField>
        <button type="submit" className={buttonClass("secondary")}>
          {t("apply")}
        </button>
      </form>
      {page.rows.length === 0 ? (
        <EmptyState
          title={t("empty")}
          action={
            <LinkButton variant="primary" href="/requests/new">
              {t("new")}
            </LinkButton>
          }
        />
      ) : (
        <Table caption={t("title")}>
          <thead>
            <tr>
              <Th>{t("number")}</Th>
              <Th>{t("access")}</Th>
              <Th>{t("for")}</Th>
              <Th>{t("submitted")}</Th>
              <Th>{t("ends")}</Th>
              <Th>{t("status")}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {page.rows.map((r) => (
              <tr key={r.id}>
                <Td className="font-mono text-xs">
                  <Link href={`/requests/${r.id}`} className="text-brand-700 hover:underline">
                    {r.label}
                  </Link>
                </Td>
                <Td>
                  <div>
                    {r.role?.name ?? (r.kind === "MATRIX_CHANGE" ? tMatrix("title") : "—")} ·{" "}
                    <span className="text-slate-500">{r.system.name}</span>
                  </div>
                  <ClassBadges isSensitive={r.isSensitive} isAdministrative={r.isAdministrative} kind={r.kind} />
                </Td>
                <Td>
                  {r.subject.id === actor.personId ? t("yourself") : `${r.subject.name} (${r.subject.employeeNo})`}
                  {r.requester.id !== actor.personId ? (
                    <div className="text-xs text-slate-500">{t("requestedBy", { name: r.requester.name })}</div>
                  ) : null}
                </Td>
                <Td className="whitespace-nowrap">{when(r.createdAt)}</Td>
                <Td className="whitespace-nowrap">{r.kind === "MATRIX_CHANGE" ? "—" : r.endsAt ? when(r.endsAt) : t("permanent")}</Td>
                <Td>
                  <RequestStatusBadge status={r.status} />
                  {r.activeStage ? (
                    <div className="text-xs text-slate-500">{t("waitingFor", { stage: tStages(r.activeStage) })}</div>
                  ) : null}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <div className="mt-4 flex justify-end gap-2">
        {filter.cursor ? <LinkButton href={`/requests${status ? `?status=${status}` : ""}`}>{t("firstPage")}</LinkButton> : null}
        {page.nextCursor ? <LinkButton href={`/requests?${next}`}>{t("nextPage")}</LinkButton> : null}
      </div>
    </>
  );
}
