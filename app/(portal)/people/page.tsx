import Link from "next/link";
import { forbidden } from "next/navigation";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { listPeople, PeopleFilter } from "@/lib/people/queries";
import { orgUnitOption } from "@/lib/org/queries";
import { Badge, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { PeopleFilters } from "@/components/people/people-filters";
import { LinkButton } from "@/components/ui/button";
import { vendorOption } from "@/lib/vendors/queries";

export async function generateMetadata() {
  const t = await getTranslations("people");
  return { title: t("title") };
}

export default async function PeoplePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  if (!can(actor, "people:read")) forbidden();
  const params = await searchParams;
  const filter = PeopleFilter.parse(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])));
  const manage = can(actor, "people:manage");
  const showVendor = can(actor, "vendors:read") || manage;
  const locale = await getLocale();
  // Only what the page shows: the chosen filters' labels, never the estate's option lists (issue 13).
  const [page, org, vendor, t, ts, ti, format] = await Promise.all([
    listPeople(actor, filter),
    orgUnitOption(filter.org, locale),
    showVendor ? vendorOption(filter.vendor) : Promise.resolve(null),
    getTranslations("people"),
    getTranslations("staffAdmin"),
    getTranslations("imports"),
    getFormatter(),
  ]);
  const tx = await getTranslations("staffExport");
  const exportHref = (fmt: "csv" | "xlsx") =>
    `/people/export?${new URLSearchParams(Object.entries({ ...filter, cursor: "", format: fmt }).filter(([, v]) => v) as [string, string][])}`;
  const day = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeZone: "UTC" });
  const next = new URLSearchParams(Object.entries({ ...filter, cursor: page.nextCursor ?? "" }).filter(([, v]) => v) as [string, string][]);
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          manage ? (
            <>
              <LinkButton href="/people/new" data-testid="people-new">
                {ts("newPerson")}
              </LinkButton>
              <LinkButton href="/people/import" data-testid="people-import">
                {ti("link")}
              </LinkButton>
            </>
          ) : undefined
        }
      />
      <PeopleFilters filter={filter} org={org} vendor={vendor} showVendor={showVendor} />
      <div className="mb-3 flex items-center justify-end gap-3 text-sm" aria-label={tx("label")} role="group">
        <span className="text-slate-500">{tx("label")}</span>
        <a href={exportHref("csv")} download className="font-medium text-brand-700 hover:underline" data-testid="people-export-csv">
          {tx("csv")}
        </a>
        <a href={exportHref("xlsx")} download className="font-medium text-brand-700 hover:underline" data-testid="people-export-xlsx">
          {tx("xlsx")}
        </a>
      </div>
      {page.rows.length === 0 ? (
        <EmptyState title={t("empty")} hint={t("emptyHint")} />
      ) : (
        <Table caption={t("title")}>
          <thead>
            <tr>
              <Th>{t("employeeNo")}</Th>
              <Th>{t("name")}</Th>
              <Th>{t("orgUnit")}</Th>
              <Th>{t("jobTitle")}</Th>
              <Th>{t("employmentType")}</Th>
              <Th>{t("status")}</Th>
              <Th>{t("phone")}</Th>
              <Th>{t("email")}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {page.rows.map((p) => (
              <tr key={p.id}>
                <Td className="font-mono text-xs">{p.employeeNo}</Td>
                <Td>
                  <Link href={`/people/${p.id}`} className="font-medium text-brand-700 hover:underline">
                    {p.name}
                  </Link>
                </Td>
                <Td>{locale === "en" && p.orgUnitNameEn ? p.orgUnitNameEn : p.orgUnitName}</Td>
                <Td>{p.jobTitle}</Td>
                <Td>
                  {p.employmentType === "THIRD_PARTY" ? (
                    <>
                      <Badge tone="amber">
                        {t("types.THIRD_PARTY")}
                        {p.vendorName ? ` · ${p.vendorName}` : ""}
                      </Badge>
                      {p.contractEndsOn ? (
                        <div className="mt-0.5 text-xs text-slate-500">{ts("contractUntil", { date: day(p.contractEndsOn) })}</div>
                      ) : null}
                    </>
                  ) : (
                    t("types.EMPLOYEE")
                  )}
                </Td>
                <Td>
                  <Badge tone={p.status === "ACTIVE" ? "green" : p.status === "LEFT" ? "neutral" : "amber"}>
                    {t(`statuses.${p.status}`)}
                  </Badge>
                </Td>
                <Td className="font-mono text-xs">{p.phoneMasked}</Td>
                <Td className="font-mono text-xs">{p.emailMasked}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <div className="mt-4 flex justify-end gap-2">
        {filter.cursor ? (
          <LinkButton
            href={`/people?${new URLSearchParams(Object.entries({ ...filter, cursor: "" }).filter(([, v]) => v) as [string, string][])}`}
          >
            {t("firstPage")}
          </LinkButton>
        ) : null}
        {page.nextCursor ? <LinkButton href={`/people?${next}`}>{t("nextPage")}</LinkButton> : null}
      </div>
    </>
  );
}
