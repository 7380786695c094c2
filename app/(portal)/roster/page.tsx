import Link from "next/link";
import { forbidden } from "next/navigation";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { listRoster, RosterFilter } from "@/lib/roster/queries";
import { systemOption } from "@/lib/systems/queries";
import { orgUnitOption } from "@/lib/org/queries";
import { Combobox } from "@/components/ui/combobox";
import { Badge, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { buttonClass, LinkButton } from "@/components/ui/button";
import { FilterField, filterControl } from "@/components/ui/filter-field";

export async function generateMetadata() {
  const t = await getTranslations("roster");
  return { title: t("title") };
}

function query(filter: RosterFilter, extra: Record<string, string | undefined> = {}) {
  return new URLSearchParams(
    Object.entries({ ...filter, ...extra }).filter(([, v]) => typeof v === "string" && v) as [string, string][],
  ).toString();
}

export default async function RosterPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  if (!can(actor, "roster:read")) forbidden();
  const raw = await searchParams;
  const filter = RosterFilter.parse(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v || undefined])));
  const locale = await getLocale();
  const [page, system, org, t, tc, tp, format] = await Promise.all([
    listRoster(actor, filter),
    systemOption(actor, filter.system),
    orgUnitOption(filter.org, locale),
    getTranslations("roster"),
    getTranslations("catalog"),
    getTranslations("people"),
    getFormatter(),
  ]);
  const en = locale === "en";
  return (
    <>
      <PageHeader
        title={t("title")}
        description={
          filter.asOf
            ? filter.asOfTime
              ? t("asOfTimeDescription", { date: filter.asOf, time: filter.asOfTime })
              : t("asOfDescription", { date: filter.asOf })
            : t("description")
        }
        actions={
          <>
            <a
              className={buttonClass("secondary")}
              href={`/roster/export?${query(filter, { cursor: undefined })}`}
              data-testid="roster-export"
            >
              {t("exportCsv")}
            </a>
            <a
              className={buttonClass("secondary")}
              href={`/roster/export-xlsx?${query(filter, { cursor: undefined })}`}
              data-testid="roster-export-xlsx"
            >
              {t("exportXlsx")}
            </a>
          </>
        }
      />
      <form method="get" role="search" className="mb-4 flex flex-wrap items-end gap-3">
        <FilterField id="filter-system" label={t("system")}>
          <Combobox
            id="filter-system"
            name="system"
            source="/lookup/systems"
            initial={system}
            placeholder={t("all")}
            className={`${filterControl} w-40`}
          />
        </FilterField>
        <FilterField id="filter-org" label={t("department")}>
          <Combobox
            id="filter-org"
            name="org"
            source="/lookup/org-units"
            tree
            initial={org}
            placeholder={t("all")}
            className={`${filterControl} w-56`}
          />
        </FilterField>
        <FilterField id="filter-level" label={t("level")}>
          <select id="filter-level" name="level" defaultValue={filter.level ?? ""} className={filterControl}>
            <option value="">{t("allSensitive")}</option>
            {(["EXTREME", "SENSITIVE", "RELATIVE", "LOW"] as const).map((l) => (
              <option key={l} value={l}>
                {tc(`sensitivities.${l}`)}
              </option>
            ))}
          </select>
        </FilterField>
        <FilterField id="filter-type" label={t("employmentType")}>
          <select id="filter-type" name="type" defaultValue={filter.type ?? ""} className={filterControl}>
            <option value="">{t("all")}</option>
            <option value="EMPLOYEE">{tp("types.EMPLOYEE")}</option>
            <option value="THIRD_PARTY">{tp("types.THIRD_PARTY")}</option>
          </select>
        </FilterField>
        <FilterField id="filter-asOf" label={t("asOf")}>
          <input id="filter-asOf" type="date" name="asOf" defaultValue={filter.asOf} className={filterControl} />
        </FilterField>
        <FilterField id="filter-asOfTime" label={t("asOfTime")}>
          <input id="filter-asOfTime" type="time" name="asOfTime" defaultValue={filter.asOfTime} className={filterControl} />
        </FilterField>
        <button type="submit" className={buttonClass("secondary")}>
          {t("apply")}
        </button>
        <Link href="/roster" className="text-sm text-slate-600 hover:underline">
          {t("reset")}
        </Link>
      </form>
      <p className="mb-2 text-xs text-slate-500">
        {t("derived", { at: format.dateTime(page.at, { dateStyle: "medium", timeStyle: "short" }) })}
      </p>
      {page.rows.length === 0 ? (
        <EmptyState title={t("empty")} hint={t("emptyHint")} />
      ) : (
        <Table caption={t("title")}>
          <thead>
            <tr>
              <Th>{t("person")}</Th>
              <Th>{t("department")}</Th>
              <Th>{t("jobTitle")}</Th>
              <Th>{t("holdings")}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100" data-testid="roster-rows">
            {page.rows.map((e) => (
              <tr key={e.personId}>
                <Td>
                  <Link href={`/people/${e.personId}`} className="font-medium text-brand-700 hover:underline">
                    {e.name}
                  </Link>
                  <div className="font-mono text-xs text-slate-500">{e.employeeNo}</div>
                  {e.employmentType === "THIRD_PARTY" ? (
                    <Badge tone="amber">
                      {tp("types.THIRD_PARTY")}
                      {e.vendorName ? ` · ${e.vendorName}` : ""}
                    </Badge>
                  ) : null}
                </Td>
                <Td className="text-xs">{en && e.orgUnitEn ? e.orgUnitEn : e.orgUnit}</Td>
                <Td className="text-xs">{e.jobTitle}</Td>
                <Td className="text-xs">
                  <ul className="space-y-1">
                    {e.holdings.map((h) => (
                      <li key={`${h.system}:${h.role}`}>
                        <span className="font-mono">{h.system}</span> · {h.loginName} · <span className="font-mono">{h.role}</span>:{" "}
                        {h.permissions.map((p) => (
                          <span key={p.code} className="mr-1 inline-block">
                            <Badge tone={p.sensitivity === "EXTREME" ? "red" : "amber"}>
                              {p.code} · {tc(`sensitivities.${p.sensitivity as "EXTREME"}`)}
                            </Badge>
                          </span>
                        ))}
                      </li>
                    ))}
                  </ul>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <div className="mt-4 flex justify-end gap-2">
        {filter.cursor ? <LinkButton href={`/roster?${query(filter, { cursor: undefined })}`}>{t("firstPage")}</LinkButton> : null}
        {page.nextCursor ? <LinkButton href={`/roster?${query(filter, { cursor: page.nextCursor })}`}>{t("nextPage")}</LinkButton> : null}
      </div>
    </>
  );
}
