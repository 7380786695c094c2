import Link from "next/link";
import { forbidden } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { listCases, offboardingDashboard, type CaseFilter } from "@/lib/offboarding/queries";
import { OffboardingDashboardPanel } from "@/components/offboarding/offboarding-dashboard";
import { formatCaseNumber } from "@/lib/offboarding/offboard-person";
import { Badge, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { LinkButton, buttonClass } from "@/components/ui/button";
import { FilterField, filterControl } from "@/components/ui/filter-field";

export async function generateMetadata() {
  const t = await getTranslations("offboarding");
  return { title: t("title") };
}

const FILTERS = ["OPEN", "SCHEDULED", "COMPLETED", "CANCELLED", "ALL"] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** Offboarding cases, newest first, 50 a page (keyset): open ones by default. HR and security officers. */
export default async function OffboardingPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  if (!can(actor, "offboarding:read")) forbidden();
  const params = await searchParams;
  const shown = (FILTERS as readonly string[]).includes(one(params.status) ?? "")
    ? (one(params.status) as (typeof FILTERS)[number])
    : "OPEN";
  const batch = one(params.batch);
  const filter: CaseFilter = {
    ...(shown === "ALL" ? {} : { status: shown }),
    ...(batch && UUID.test(batch) ? { batchId: batch } : {}),
  };
  const cursor = one(params.after)?.slice(0, 300) ?? null;
  const [page, t, format, dashboard] = await Promise.all([
    listCases(filter, cursor),
    getTranslations("offboarding"),
    getFormatter(),
    cursor || filter.batchId ? null : offboardingDashboard(),
  ]);
  const when = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: "medium", timeStyle: "short" }) : "—");
  const query = (extra: Record<string, string>) =>
    new URLSearchParams({ status: shown, ...(filter.batchId ? { batch: filter.batchId } : {}), ...extra }).toString();
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={can(actor, "people:manage") ? <LinkButton href="/offboarding/vendor">{t("offboardVendor")}</LinkButton> : undefined}
      />
      {dashboard ? <OffboardingDashboardPanel data={dashboard} /> : null}
      <form method="get" className="mb-4 flex flex-wrap items-end gap-3" role="search">
        <FilterField id="offboarding-status" label={t("filter")}>
          <select id="offboarding-status" name="status" defaultValue={shown} className={filterControl}>
            {FILTERS.map((f) => (
              <option key={f} value={f}>
                {t(`filters.${f}`)}
              </option>
            ))}
          </select>
        </FilterField>
        {filter.batchId ? <input type="hidden" name="batch" value={filter.batchId} /> : null}
        <button type="submit" className={buttonClass("secondary")}>
          {t("apply")}
        </button>
      </form>
      {page.rows.length === 0 ? (
        <EmptyState title={t("empty")} />
      ) : (
        <Table caption={t("title")}>
          <thead>
            <tr>
              <Th>{t("number")}</Th>
              <Th>{t("person")}</Th>
              <Th>{t("department")}</Th>
              <Th>{t("source")}</Th>
              <Th>{t("status")}</Th>
              <Th>{t("effective")}</Th>
              <Th>{t("pending")}</Th>
            </tr>
          </thead>
          <tbody>
            {page.rows.map((c) => (
              <tr key={c.id}>
                <Td>
                  <Link className="font-medium text-brand-700 hover:underline" href={`/offboarding/${c.id}`}>
                    {formatCaseNumber(c.number)}
                  </Link>
                </Td>
                <Td>
                  {c.personName} <span className="text-xs text-slate-500">{c.employeeNo}</span>
                </Td>
                <Td>{c.orgUnit}</Td>
                <Td>{t(`sources.${c.source}`)}</Td>
                <Td>
                  <Badge tone={c.status === "COMPLETED" ? "green" : c.status === "SCHEDULED" ? "amber" : "neutral"}>
                    {t(`statuses.${c.status}`)}
                  </Badge>
                </Td>
                <Td>{when(c.executedAt ?? c.effectiveAt)}</Td>
                <Td>{c.status === "COMPLETED" ? (c.open > 0 ? c.open : t("allConfirmed")) : "—"}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <nav className="mt-3 flex gap-4 text-sm">
        {cursor ? (
          <Link className="text-brand-700 hover:underline" href={`/offboarding?${query({})}`}>
            {t("newest")}
          </Link>
        ) : null}
        {page.nextCursor ? (
          <Link className="text-brand-700 hover:underline" href={`/offboarding?${query({ after: page.nextCursor })}`}>
            {t("older")}
          </Link>
        ) : null}
      </nav>
    </>
  );
}
