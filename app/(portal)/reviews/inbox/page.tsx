import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { countReviewInbox, listReviewInbox, reviewInboxChoices, ReviewInboxFilter } from "@/lib/reviews/inbox-queries";
import { RECOMMENDATIONS } from "@/lib/reviews/schemas";
import { Badge, EmptyState, PageHeader } from "@/components/ui/card";
import { FormNotice } from "@/components/ui/field";
import { Table, Td, Th } from "@/components/ui/table";
import { LinkButton, buttonClass } from "@/components/ui/button";
import { FilterField, filterControl } from "@/components/ui/filter-field";
import { BulkReviewForm } from "@/components/reviews/inbox/bulk-review-form";
import { REVIEW_BULK_FORM_ID, REVIEW_QUICK_FORM_ID } from "@/components/reviews/inbox/bulk-form-id";
import { QuickDecideForm } from "@/components/reviews/inbox/quick-decide-form";
import { recommendationReason } from "@/components/reviews/inbox/recommendation";

// Two per row, 50 rows a page: short classes keep the page within its weight budget (issue 13).
const QUICK_BUTTON = "rounded border border-slate-300 bg-white px-2 py-0.5 text-xs text-slate-800 hover:bg-slate-50";

export async function generateMetadata() {
  const t = await getTranslations("reviewsInbox");
  return { title: t("title") };
}

export default async function ReviewInboxPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  const params = await searchParams;
  const raw = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const filter = ReviewInboxFilter.parse(raw);
  const decidedView = filter.view === "decided";
  const now = new Date();
  const [page, choices, counts, t, tStatus, format, locale] = await Promise.all([
    listReviewInbox(actor, filter, now),
    reviewInboxChoices(actor, now),
    decidedView ? Promise.resolve(null) : countReviewInbox(actor, filter, now),
    getTranslations("reviewsInbox"),
    getTranslations("people.statuses"),
    getFormatter(),
    getLocale(),
  ]);
  const en = locale === "en";
  const day = (d: Date) => format.dateTime(d, { dateStyle: "medium" });
  const keep = (extra: Record<string, string>) =>
    new URLSearchParams(
      Object.entries({
        view: filter.view ?? "",
        campaign: filter.campaign ?? "",
        system: filter.system ?? "",
        recommendation: filter.recommendation ?? "",
        sensitive: filter.sensitive ?? "",
        q: filter.q ?? "",
        ...extra,
      }).filter(([, v]) => v),
    );
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <nav className="mb-4 flex gap-2 text-sm" aria-label={t("title")}>
        {(["open", "decided"] as const).map((v) => {
          const current = (filter.view ?? "open") === v;
          return (
            <Link
              key={v}
              href={v === "open" ? "/reviews/inbox" : "/reviews/inbox?view=decided"}
              aria-current={current ? "page" : undefined}
              className={`rounded-md px-3 py-1.5 ${current ? "bg-brand-600 text-white" : "border border-slate-300 bg-white text-slate-700"}`}
            >
              {t(`views.${v}`)}
            </Link>
          );
        })}
      </nav>
      {raw.quick === "KEEP" || raw.quick === "END" ? (
        <div className="mb-4" data-testid="quick-done">
          <FormNotice message={t(raw.quick === "KEEP" ? "quick.kept" : "quick.ended")} />
        </div>
      ) : null}
      {raw.done && /^\d{1,5}$/.test(raw.done) ? (
        <div className="mb-4" data-testid="bulk-done">
          <FormNotice message={t("bulk.done", { count: Number(raw.done) })} />
        </div>
      ) : null}
      <form method="get" className="mb-4 flex flex-wrap items-end gap-3" role="search">
        {decidedView ? <input type="hidden" name="view" value="decided" /> : null}
        <FilterField id="ri-campaign" label={t("campaign")}>
          <select id="ri-campaign" name="campaign" defaultValue={filter.campaign ?? ""} className={filterControl}>
            <option value="">{t("all")}</option>
            {choices.campaigns.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
        </FilterField>
        <FilterField id="ri-system" label={t("system")}>
          <select id="ri-system" name="system" defaultValue={filter.system ?? ""} className={filterControl}>
            <option value="">{t("all")}</option>
            {choices.systems.map((s) => (
              <option key={s.id} value={s.id}>
                {en ? (s.nameEn ?? s.name) : s.name}
              </option>
            ))}
          </select>
        </FilterField>
        <FilterField id="ri-recommendation" label={t("recommendation")}>
          <select id="ri-recommendation" name="recommendation" defaultValue={filter.recommendation ?? ""} className={filterControl}>
            <option value="">{t("all")}</option>
            <option value="ANY">{t("recommendationAny")}</option>
            <option value="NONE">{t("recommendationNone")}</option>
            {RECOMMENDATIONS.map((r) => (
              <option key={r} value={r}>
                {t(`recommendationCodes.${r}`)}
              </option>
            ))}
          </select>
        </FilterField>
        <FilterField id="ri-sensitive" label={t("sensitivity")}>
          <select id="ri-sensitive" name="sensitive" defaultValue={filter.sensitive ?? ""} className={filterControl}>
            <option value="">{t("all")}</option>
            <option value="YES">{t("sensitiveYes")}</option>
            <option value="NO">{t("sensitiveNo")}</option>
          </select>
        </FilterField>
        <FilterField id="ri-q" label={t("search")}>
          <input
            id="ri-q"
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
      {counts && counts.matching > 0 ? (
        <>
          <p className="mb-2 text-sm text-slate-600" data-testid="inbox-matching">
            {t("matching", { count: counts.matching })}
          </p>
          <BulkReviewForm
            filter={{
              campaign: filter.campaign,
              system: filter.system,
              recommendation: filter.recommendation,
              q: filter.q,
              sensitive: filter.sensitive,
            }}
            matching={counts.matching}
            recommended={counts.recommended}
            filterAllowed={!filter.q}
          />
        </>
      ) : null}
      {decidedView || page.rows.length === 0 ? null : (
        <QuickDecideForm
          // A new render (after a decision) is a new form: a refusal shown before is gone.
          key={now.toISOString()}
          label={t("quick.title")}
          shownAt={now.toISOString()}
          filter={{
            campaign: filter.campaign,
            system: filter.system,
            recommendation: filter.recommendation,
            sensitive: filter.sensitive,
            q: filter.q,
            cursor: filter.cursor,
          }}
        />
      )}
      {page.rows.length === 0 ? (
        <EmptyState title={decidedView ? t("emptyDecided") : t("empty")} hint={decidedView ? undefined : t("emptyHint")} />
      ) : (
        <Table caption={t("title")}>
          <thead>
            <tr>
              {decidedView ? null : (
                <Th>
                  <span className="sr-only">{t("select")}</span>
                </Th>
              )}
              <Th>{t("person")}</Th>
              <Th>{t("access")}</Th>
              <Th>{t("suggestion")}</Th>
              <Th>{decidedView ? t("outcome") : t("deadline")}</Th>
              {decidedView ? null : <Th>{t("quick.column")}</Th>}
              <Th>
                <span className="sr-only">{t("open")}</span>
              </Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {page.rows.map((r) => {
              const person = r.person ? `${r.person.name} (${r.person.employeeNo})` : t("orphan");
              const access = r.access ? (en ? (r.access.nameEn ?? r.access.name) : r.access.name) : t("accountItem");
              return (
                <tr key={r.id} data-testid="review-row">
                  {decidedView ? null : (
                    <Td>
                      <input
                        type="checkbox"
                        form={REVIEW_BULK_FORM_ID}
                        name="itemId"
                        value={r.id}
                        aria-label={t("selectItem", { person, access })}
                      />
                    </Td>
                  )}
                  <Td>
                    <div>{person}</div>
                    <div className="text-xs text-slate-500">{r.loginName}</div>
                    {r.onBehalfOf ? <div className="text-xs text-slate-500">{t("onBehalfOf", { name: r.onBehalfOf })}</div> : null}
                  </Td>
                  <Td>
                    <div>
                      {access} · <span className="text-slate-500">{en ? (r.system.nameEn ?? r.system.name) : r.system.name}</span>
                    </div>
                    <div className="mt-1 flex gap-1">
                      {r.isSensitive ? <Badge tone="red">{t("sensitive")}</Badge> : null}
                      {r.isThirdParty ? <Badge tone="amber">{t("thirdParty")}</Badge> : null}
                    </div>
                    <div className="text-xs text-slate-500">{r.campaign}</div>
                  </Td>
                  <Td className="max-w-xs text-xs">
                    {r.recommendation ? (
                      <>
                        <div className="font-medium text-amber-800">{t(`recommendationCodes.${r.recommendation}`)}</div>
                        <div className="text-slate-600">
                          {recommendationReason(t, format, r.recommendation, r.recommendationParams, (v) =>
                            tStatus.has(v) ? tStatus(v) : v,
                          )}
                        </div>
                      </>
                    ) : (
                      "—"
                    )}
                  </Td>
                  <Td className="whitespace-nowrap">
                    {decidedView
                      ? `${r.decision ? t(`decisions.${r.decision}`) : "—"}${r.decidedAt ? ` · ${day(r.decidedAt)}` : ""}`
                      : day(new Date(r.deadlineAt.getTime() - 1))}
                  </Td>
                  {decidedView ? null : (
                    <Td className="whitespace-nowrap">
                      {/* Keep / End at once (quickDecideReviewAction); keeping sensitive access needs a comment: the item page. */}
                      <span className="flex gap-1">
                        {r.isSensitive ? (
                          <Link
                            href={`/reviews/items/${r.id}`}
                            className={QUICK_BUTTON}
                            aria-label={t("quick.keepSensitiveLabel", { person, access })}
                          >
                            {t("quick.keepSensitive")}
                          </Link>
                        ) : (
                          <button
                            type="submit"
                            form={REVIEW_QUICK_FORM_ID}
                            name="quick"
                            value={`KEEP:${r.id}`}
                            className={QUICK_BUTTON}
                            aria-label={t("quick.keepLabel", { person, access })}
                          >
                            {t("quick.keep")}
                          </button>
                        )}
                        <button
                          type="submit"
                          form={REVIEW_QUICK_FORM_ID}
                          name="quick"
                          value={`END:${r.id}`}
                          className={QUICK_BUTTON}
                          aria-label={t("quick.endLabel", { person, access })}
                        >
                          {t("quick.end")}
                        </button>
                      </span>
                    </Td>
                  )}
                  <Td>
                    <Link href={`/reviews/items/${r.id}`} className="text-brand-700 hover:underline" data-testid="review-open">
                      {t("open")}
                    </Link>
                  </Td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      )}
      <div className="mt-4 flex justify-end gap-2">
        {filter.cursor ? <LinkButton href={`/reviews/inbox?${keep({})}`}>{t("firstPage")}</LinkButton> : null}
        {page.nextCursor ? <LinkButton href={`/reviews/inbox?${keep({ cursor: page.nextCursor })}`}>{t("nextPage")}</LinkButton> : null}
      </div>
    </>
  );
}
