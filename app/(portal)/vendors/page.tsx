import Link from "next/link";
import { dayIn } from "@/lib/time/calendar";
import { forbidden } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { listVendors, VendorFilter } from "@/lib/vendors/queries";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { InlineEdit } from "@/components/ui/inline-edit";
import { LinkButton, buttonClass } from "@/components/ui/button";
import { FilterField, filterControl } from "@/components/ui/filter-field";
import { VendorForm } from "@/components/vendors/vendor-form";
import { isoDay } from "@/lib/time/calendar-input";

export async function generateMetadata() {
  const t = await getTranslations("vendors");
  return { title: t("title") };
}

export default async function VendorsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  if (!can(actor, "vendors:read")) forbidden();
  const manage = can(actor, "vendors:manage");
  const params = await searchParams;
  const filter = VendorFilter.parse(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])));
  const [page, t, tOff, format] = await Promise.all([
    listVendors(filter),
    getTranslations("vendors"),
    getTranslations("offboarding.vendor"),
    getFormatter(),
  ]);
  const day = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeZone: "UTC" });
  // A contract has ended once its last day is over where the portal is.
  const today = new Date(dayIn(new Date()));
  const query = (extra: Record<string, string>) =>
    new URLSearchParams(Object.entries({ q: filter.q ?? "", ...extra }).filter(([, v]) => v) as [string, string][]);
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <div className="grid gap-4 xl:grid-cols-3">
        <div className={manage ? "xl:col-span-2" : "xl:col-span-3"}>
          <form method="get" className="mb-4 flex flex-wrap items-end gap-3" role="search">
            <FilterField id="vendor-q" label={t("search")}>
              <input
                id="vendor-q"
                name="q"
                defaultValue={filter.q}
                maxLength={100}
                placeholder={t("searchPlaceholder")}
                className={`${filterControl} w-56`}
              />
            </FilterField>
            <button type="submit" className={buttonClass("secondary")}>
              {t("apply")}
            </button>
          </form>
          {page.rows.length === 0 ? (
            <EmptyState title={t("empty")} hint={manage ? t("emptyHintManage") : undefined} />
          ) : (
            <Table caption={t("title")}>
              <thead>
                <tr>
                  <Th>{t("name")}</Th>
                  <Th>{t("contract")}</Th>
                  <Th>{t("contact")}</Th>
                  <Th>{t("people")}</Th>
                  <Th>{t("sponsors")}</Th>
                  {manage ? <Th>{t("edit")}</Th> : null}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100" data-testid="vendors">
                {page.rows.map((v) => (
                  <tr key={v.id}>
                    <Td className="font-medium">
                      {v.name}
                      {v.isActive ? null : (
                        <>
                          {" "}
                          <Badge>{t("inactive")}</Badge>
                        </>
                      )}
                    </Td>
                    <Td className="text-xs whitespace-nowrap">
                      {t("period", { from: day(v.contractStartsOn), to: day(v.contractEndsOn) })}
                      {v.contractEndsOn < today ? (
                        <>
                          {" "}
                          <Badge tone="red">{t("contractEnded")}</Badge>
                        </>
                      ) : null}
                    </Td>
                    <Td className="text-xs">
                      <div>{v.contactName ?? "—"}</div>
                      <div className="font-mono">{v.contactPhoneMasked}</div>
                      <div className="font-mono">{v.contactEmailMasked}</div>
                    </Td>
                    <Td className="text-xs whitespace-nowrap">
                      {v.people > 0 ? (
                        <Link href={`/people?type=THIRD_PARTY&vendor=${v.id}`} className="text-brand-700 hover:underline">
                          {t("peopleCount", { count: v.people })}
                        </Link>
                      ) : (
                        t("peopleCount", { count: 0 })
                      )}
                    </Td>
                    <Td className="text-xs">
                      {v.sponsors.length ? (
                        <ul>
                          {v.sponsors.map((s) => (
                            <li key={s.id}>
                              <Link href={`/people/${s.id}`} className="text-brand-700 hover:underline">
                                {s.name}
                              </Link>{" "}
                              ({s.employeeNo}) · {t("sponsoredCount", { count: s.people })}
                            </li>
                          ))}
                        </ul>
                      ) : (
                        "—"
                      )}
                    </Td>
                    {manage ? (
                      <Td>
                        <InlineEdit label={t("edit")} width="w-[28rem]" nowrap>
                          <VendorForm
                            vendor={{
                              id: v.id,
                              name: v.name,
                              contactName: v.contactName,
                              contactPhoneMasked: v.contactPhoneMasked,
                              contactEmailMasked: v.contactEmailMasked,
                              contractStartsOn: isoDay(v.contractStartsOn)!,
                              contractEndsOn: isoDay(v.contractEndsOn)!,
                            }}
                          />
                        </InlineEdit>
                        {v.isActive && can(actor, "people:manage") ? (
                          <Link className="ml-3 text-xs text-red-700 hover:underline" href={`/offboarding/vendor?vendor=${v.id}`}>
                            {tOff("link")}
                          </Link>
                        ) : null}
                      </Td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
          <div className="mt-4 flex justify-end gap-2">
            {filter.cursor ? <LinkButton href={`/vendors?${query({})}`}>{t("firstPage")}</LinkButton> : null}
            {page.nextCursor ? <LinkButton href={`/vendors?${query({ cursor: page.nextCursor })}`}>{t("nextPage")}</LinkButton> : null}
          </div>
        </div>
        {manage ? (
          <Card title={t("newVendor")}>
            <VendorForm />
          </Card>
        ) : null}
      </div>
    </>
  );
}
