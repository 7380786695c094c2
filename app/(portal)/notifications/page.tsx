import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { listNotifications } from "@/lib/notifications/queries";
import { NotificationsFilter } from "@/lib/notifications/schemas";
import { renderNotification } from "@/lib/notifications/render";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { FilterField } from "@/components/ui/filter-field";
import { markAllReadAction, markReadAction, openNotificationAction } from "./actions";

export default async function NotificationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireActor();
  const raw = await searchParams;
  const filter = NotificationsFilter.parse({
    show: raw.show,
    order: raw.order,
    cursor: typeof raw.cursor === "string" ? raw.cursor : undefined,
  });
  const [page, t, format, locale] = await Promise.all([
    listNotifications(actor, filter),
    getTranslations("notifications.page"),
    getFormatter(),
    getLocale(),
  ]);
  const query = (extra: Record<string, string>) =>
    `/notifications?${new URLSearchParams({ show: filter.show, order: filter.order, ...extra })}`;
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <form action={markAllReadAction}>
            <button
              type="submit"
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-50"
            >
              {t("markAllRead")}
            </button>
          </form>
        }
      />
      <form className="mb-4 flex flex-wrap items-end gap-3" action="/notifications">
        <FilterField id="show" label={t("show")}>
          <select
            id="show"
            name="show"
            defaultValue={filter.show}
            className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
          >
            <option value="all">{t("showAll")}</option>
            <option value="unread">{t("showUnread")}</option>
          </select>
        </FilterField>
        <FilterField id="order" label={t("order")}>
          <select
            id="order"
            name="order"
            defaultValue={filter.order}
            className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
          >
            <option value="unread-first">{t("orderUnreadFirst")}</option>
            <option value="newest">{t("orderNewest")}</option>
          </select>
        </FilterField>
        <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm">
          {t("apply")}
        </button>
      </form>
      {page.rows.length === 0 ? (
        <EmptyState title={t("empty")} />
      ) : (
        <Card>
          <ul className="divide-y divide-slate-100" data-testid="notifications">
            {page.rows.map((n) => {
              const { title, body } = renderNotification(locale, n.kind, n.params);
              return (
                <li key={n.id} className={`flex flex-wrap items-start justify-between gap-3 py-3 ${n.readAt ? "text-slate-500" : ""}`}>
                  <div className="min-w-0 flex-1">
                    <p className="text-sm font-medium text-slate-900">
                      {n.readAt ? null : (
                        <>
                          <Badge tone="blue">{t("unread")}</Badge>{" "}
                        </>
                      )}
                      {title}
                    </p>
                    {body ? <p className="mt-0.5 text-sm">{body}</p> : null}
                    <p className="mt-0.5 text-xs text-slate-500">
                      {format.dateTime(n.createdAt, { dateStyle: "medium", timeStyle: "short" })}
                    </p>
                  </div>
                  <div className="flex gap-2">
                    {n.link ? (
                      <form action={openNotificationAction}>
                        <input type="hidden" name="id" value={n.id} />
                        <input type="hidden" name="link" value={n.link} />
                        <button type="submit" className="text-sm text-brand-700 hover:underline">
                          {t("open")}
                        </button>
                      </form>
                    ) : null}
                    {n.readAt ? null : (
                      <form action={markReadAction}>
                        <input type="hidden" name="id" value={n.id} />
                        <button type="submit" className="text-sm text-slate-600 hover:underline">
                          {t("markRead")}
                        </button>
                      </form>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
        </Card>
      )}
      <nav className="mt-4 flex gap-4 text-sm">
        {filter.cursor ? (
          <Link href={query({})} className="text-brand-700 hover:underline">
            {t("first")}
          </Link>
        ) : null}
        {page.nextCursor ? (
          <Link href={query({ cursor: page.nextCursor })} className="text-brand-700 hover:underline">
            {t("next")}
          </Link>
        ) : null}
      </nav>
    </>
  );
}
