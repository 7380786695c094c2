import Link from "next/link";
import { forbidden, notFound } from "next/navigation";
import { getFormatter, getLocale, getMessages, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { AUDIT_ACTIONS, AUDIT_TARGET_TYPES } from "@/lib/audit/events";
import { AUDIT_ITEMS_PAGE_SIZE, getAuditEvent, listAuditItems } from "@/lib/audit/queries";
import { changeRows, otherFacts, showValue, spellKey } from "@/lib/audit/describe";
import { auditNames } from "@/lib/audit/names";
import { auditSentencer } from "@/lib/audit/sentence";
import { Card, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { LinkButton } from "@/components/ui/button";

export async function generateMetadata() {
  const t = await getTranslations("audit");
  return { title: t("eventTitle") };
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

// One audit event in full, and the items of a bulk event keyset-paged by position (issue 14 §3).
export default async function AuditEventPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireActor();
  if (!can(actor, "audit:read")) forbidden();
  const { id } = await params;
  if (!/^\d{1,18}$/.test(id)) notFound();
  const after = one((await searchParams).after);
  const [event, page, t, ta, format, locale, messages] = await Promise.all([
    getAuditEvent(BigInt(id)),
    listAuditItems(BigInt(id), after),
    getTranslations("audit"),
    getTranslations("audit.actions"),
    getFormatter(),
    getLocale(),
    getMessages(),
  ]);
  if (!event) notFound();
  const names = await auditNames([event, ...page.items.map((i) => ({ targetId: i.personId, summary: i.detail }))], locale);
  const sentence = auditSentencer(locale, messages)(event, names);
  // Codes (statuses, roles, yes/no) and field names in the reader's language; an id read as its name.
  const word = (key: string) => (t.has(key as "title") ? t(key as "title") : undefined);
  const label = (key: string) => word(`fields.${key}`) ?? spellKey(key);
  const value = (v: unknown) => showValue(v, names, word, label);
  const changes = changeRows(event.summary, names, word, label);
  const facts = otherFacts(event.summary);
  const declared = (event.summary as { items?: { count?: number } } | null)?.items?.count ?? 0;
  const fields: [string, string | null][] = [
    [t("time"), format.dateTime(event.occurredAt, { dateStyle: "medium", timeStyle: "medium" })],
    [t("actor"), event.actorName],
    [t("action"), `${ta(event.action as (typeof AUDIT_ACTIONS)[number])} (${event.action})`],
    [
      t("target"),
      event.targetType
        ? `${t(`targets.${event.targetType as (typeof AUDIT_TARGET_TYPES)[number]}`)} ${event.targetId ? (names.get(event.targetId) ?? event.targetId) : ""}`
        : null,
    ],
    [t("reason"), event.reason],
    [t("basis"), event.basis],
    [t("requestId"), event.requestId],
    [t("source"), event.ip],
    [t("userAgent"), event.userAgent],
    [t("hash"), event.hash],
    [t("sealed"), event.seal ? t("sealedWith", { keyId: event.seal.keyId }) : t("notSealed")],
  ];
  return (
    <>
      <PageHeader title={`${t("eventTitle")} #${event.id.toString()}`} actions={<LinkButton href="/audit">{t("backToList")}</LinkButton>} />
      <Card>
        <p className="mb-4 text-base text-slate-900" data-testid="audit-sentence">
          {sentence}
        </p>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm" data-testid="audit-event">
          {fields.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-slate-500">{label}</dt>
              <dd className="break-all">{value ?? "—"}</dd>
            </div>
          ))}
        </dl>
        {changes.length ? (
          <Table caption={t("changes")}>
            <thead>
              <tr>
                <Th>{t("field")}</Th>
                <Th>{t("before")}</Th>
                <Th>{t("after")}</Th>
              </tr>
            </thead>
            <tbody data-testid="audit-changes">
              {changes.map((c) => (
                <tr key={c.field} data-changed={c.changed ? "true" : undefined} className={c.changed ? "bg-amber-50" : undefined}>
                  <Td className="text-xs font-medium">
                    {label(c.field)}
                    {c.changed ? <span className="sr-only"> ({t("changedRow")})</span> : null}
                  </Td>
                  <Td className="text-xs break-all">{c.before}</Td>
                  <Td className="text-xs break-all">→ {c.after}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        ) : null}
        {facts.length ? (
          <section className="mt-4">
            <h2 className="mb-2 text-sm font-semibold">{t("facts")}</h2>
            <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-xs" data-testid="audit-facts">
              {facts.map((f) => (
                <div key={f.key} className="contents">
                  <dt className="text-slate-500">{label(f.key)}</dt>
                  <dd className="break-all">{value(f.value)}</dd>
                </div>
              ))}
            </dl>
          </section>
        ) : null}
        {event.summary && can(actor, "audit:export") ? (
          <details className="mt-4">
            <summary className="cursor-pointer text-xs text-slate-600">{t("rawRecord")}</summary>
            <pre className="mt-2 max-h-96 overflow-auto rounded bg-slate-50 p-3 text-xs" data-testid="audit-summary">
              {JSON.stringify(event.summary, null, 2)}
            </pre>
          </details>
        ) : null}
      </Card>
      {declared > 0 || page.items.length > 0 ? (
        <section className="mt-6">
          <h2 className="mb-2 text-base font-semibold">{t("itemsTitle", { count: declared })}</h2>
          <Table caption={t("itemsTitle", { count: declared })}>
            <thead>
              <tr>
                <Th>#</Th>
                <Th>{t("itemKind")}</Th>
                <Th>{t("itemSubject")}</Th>
                <Th>{t("itemPerson")}</Th>
                <Th>{t("details")}</Th>
              </tr>
            </thead>
            <tbody data-testid="audit-items">
              {page.items.map((item) => (
                <tr key={item.position}>
                  <Td className="text-xs">{item.position + 1}</Td>
                  <Td className="text-xs">{t.has(`targets.${item.kind}` as "title") ? t(`targets.${item.kind}` as "title") : item.kind}</Td>
                  <Td className="font-mono text-[11px]">
                    <Link className="hover:underline" href={`/audit?subject=${encodeURIComponent(item.subjectId)}`}>
                      {item.subjectId}
                    </Link>
                  </Td>
                  <Td className="text-[11px]">{item.personId ? (names.get(item.personId) ?? item.personId) : "—"}</Td>
                  <Td className="max-w-md truncate text-[11px]">{item.detail ? value(item.detail) : ""}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
          <div className="mt-4 flex justify-end gap-2">
            {after ? <LinkButton href={`/audit/${id}`}>{t("firstItems")}</LinkButton> : null}
            {page.nextAfter ? (
              <LinkButton href={`/audit/${id}?after=${page.nextAfter}`}>{t("nextItems", { count: AUDIT_ITEMS_PAGE_SIZE })}</LinkButton>
            ) : null}
          </div>
        </section>
      ) : null}
    </>
  );
}
