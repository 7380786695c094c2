import Link from "next/link";
import { describeSummary, spellKey } from "@/lib/audit/describe";
import { APP_TIME_ZONE } from "@/lib/time/calendar";
import { forbidden } from "next/navigation";
import { getFormatter, getLocale, getMessages, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { AuditFilter, listAuditEvents } from "@/lib/audit/queries";
import { AUDIT_ACTIONS, AUDIT_TARGET_TYPES } from "@/lib/audit/events";
import { auditNames } from "@/lib/audit/names";
import { auditSentencer } from "@/lib/audit/sentence";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { buttonClass, LinkButton } from "@/components/ui/button";
import { FilterField, filterControl } from "@/components/ui/filter-field";

export async function generateMetadata() {
  const t = await getTranslations("audit");
  return { title: t("title") };
}

function query(filter: AuditFilter, extra: Record<string, string | undefined> = {}): string {
  const entries = Object.entries({ ...filter, ...extra }).filter(([, v]) => typeof v === "string" && v !== "") as [string, string][];
  return new URLSearchParams(entries).toString();
}

// The list shows a bounded summary of each event (the page stays light whatever the newest events
// carry); /audit/[id] shows the event in full and a bulk event's items.
const LIST_ACTOR = 40;
const LIST_TARGET = 40;
const LIST_REASON = 60;
const LIST_SUMMARY = 100;
const LIST_SENTENCE = 160;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function itemCount(summary: unknown): number {
  const count = (summary as { items?: { count?: unknown } } | null)?.items?.count;
  return typeof count === "number" ? count : 0;
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  if (!can(actor, "audit:read")) forbidden();
  const raw = await searchParams;
  const filter = AuditFilter.parse(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v || undefined])));
  const timeZone = APP_TIME_ZONE;
  const [page, t, ta, format, locale, messages] = await Promise.all([
    listAuditEvents(filter, timeZone),
    getTranslations("audit"),
    getTranslations("audit.actions"),
    getFormatter(),
    getLocale(),
    getMessages(),
  ]);
  const names = await auditNames(page.rows, locale);
  const sentence = auditSentencer(locale, messages);
  const control = filterControl;
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          can(actor, "audit:export") ? (
            <a
              className={buttonClass("secondary")}
              href={`/audit/export?${query(filter, { cursor: undefined })}`}
              data-testid="audit-export"
            >
              {t("exportCsv")}
            </a>
          ) : null
        }
      />
      <form method="get" role="search" className="mb-4 flex flex-wrap items-end gap-3">
        <FilterField id="filter-actor" label={t("actor")}>
          <input
            id="filter-actor"
            name="actor"
            defaultValue={filter.actor}
            maxLength={64}
            placeholder={t("actorPlaceholder")}
            className={`${control} w-40`}
          />
        </FilterField>
        <FilterField id="filter-action" label={t("action")}>
          <select id="filter-action" name="action" defaultValue={filter.action ?? ""} className={control}>
            <option value="">{t("all")}</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {ta(a)}
              </option>
            ))}
          </select>
        </FilterField>
        <FilterField id="filter-targetType" label={t("targetType")}>
          <select id="filter-targetType" name="targetType" defaultValue={filter.targetType ?? ""} className={control}>
            <option value="">{t("all")}</option>
            {AUDIT_TARGET_TYPES.map((a) => (
              <option key={a} value={a}>
                {t(`targets.${a}`)}
              </option>
            ))}
          </select>
        </FilterField>
        <FilterField id="filter-targetId" label={t("targetId")}>
          <input id="filter-targetId" name="targetId" defaultValue={filter.targetId} maxLength={100} className={`${control} w-44`} />
        </FilterField>
        <FilterField id="filter-subject" label={t("subject")}>
          <input
            id="filter-subject"
            name="subject"
            defaultValue={filter.subject}
            maxLength={100}
            placeholder={t("subjectPlaceholder")}
            className={`${control} w-52`}
          />
        </FilterField>
        <FilterField id="filter-from" label={t("from")}>
          <input type="date" id="filter-from" name="from" defaultValue={filter.from} className={control} />
        </FilterField>
        <FilterField id="filter-to" label={t("to")}>
          <input type="date" id="filter-to" name="to" defaultValue={filter.to} className={control} />
        </FilterField>
        <button type="submit" className={buttonClass("secondary")}>
          {t("apply")}
        </button>
        <Link href="/audit" className="text-sm text-slate-600 hover:underline">
          {t("reset")}
        </Link>
      </form>
      {page.rows.length === 0 ? (
        <EmptyState title={t("empty")} hint={t("emptyHint")} />
      ) : (
        <Table caption={t("title")}>
          <thead>
            <tr>
              <Th>{t("time")}</Th>
              <Th>{t("actor")}</Th>
              <Th>{t("action")}</Th>
              <Th>{t("target")}</Th>
              <Th>{t("details")}</Th>
              <Th>{t("source")}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100" data-testid="audit-rows">
            {page.rows.map((e) => (
              <tr key={e.id.toString()}>
                <Td className="whitespace-nowrap text-xs">{format.dateTime(e.occurredAt, { dateStyle: "short", timeStyle: "medium" })}</Td>
                <Td className="text-xs">{clip(e.actorName, LIST_ACTOR)}</Td>
                <Td className="text-xs">
                  <span className="font-medium">{ta(e.action as (typeof AUDIT_ACTIONS)[number])}</span>
                  <div className="font-mono text-[11px] text-slate-500">{e.action}</div>
                </Td>
                <Td className="text-xs">
                  {e.targetType ? `${t(`targets.${e.targetType as (typeof AUDIT_TARGET_TYPES)[number]}`)}` : "—"}
                  <div className="max-w-40 truncate font-mono text-[11px] text-slate-500">
                    {e.targetId ? clip(e.targetId, LIST_TARGET) : null}
                  </div>
                </Td>
                <Td className="max-w-md text-xs">
                  <p className="text-sm text-slate-900" data-testid="audit-sentence">
                    {clip(sentence(e, names), LIST_SENTENCE)}
                  </p>
                  {e.reason ? (
                    <div>
                      {t("reason")}: {clip(e.reason, LIST_REASON)}
                    </div>
                  ) : null}
                  {e.summary ? (
                    <p className="max-w-md truncate text-[11px] text-slate-600" data-testid="audit-facts">
                      {clip(
                        describeSummary(e.summary)
                          .map((f) => `${t.has(`fields.${f.key}`) ? t(`fields.${f.key}` as "fields.count") : spellKey(f.key)}: ${f.value}`)
                          .join(" · "),
                        LIST_SUMMARY,
                      )}
                    </p>
                  ) : null}
                  {itemCount(e.summary) > 0 ? (
                    <div className="text-[11px] text-slate-600">{t("itemsCount", { count: itemCount(e.summary) })}</div>
                  ) : null}
                  <Link
                    href={`/audit/${e.id.toString()}`}
                    className="text-[11px] text-blue-700 hover:underline"
                    data-testid="audit-event-link"
                  >
                    {t("open")}
                  </Link>
                </Td>
                <Td className="text-xs text-slate-600">{e.ip ?? "—"}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <div className="mt-4 flex justify-end gap-2">
        {filter.cursor ? <LinkButton href={`/audit?${query(filter, { cursor: undefined })}`}>{t("newest")}</LinkButton> : null}
        {page.nextCursor ? <LinkButton href={`/audit?${query(filter, { cursor: page.nextCursor })}`}>{t("older")}</LinkButton> : null}
      </div>
    </>
  );
}
