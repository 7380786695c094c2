import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { InboxFilter, inboxSystems, listApprovalInbox } from "@/lib/requests/queries";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { LinkButton, buttonClass } from "@/components/ui/button";
import { FilterField, filterControl } from "@/components/ui/filter-field";
import { ClassBadges } from "@/components/requests/badges";
import { BulkApproveForm } from "@/components/requests/bulk-approve";
import { BULK_FORM_ID } from "@/components/requests/bulk-form-id";

export async function generateMetadata() {
  const t = await getTranslations("requests.inbox");
  return { title: t("title") };
}

export default async function ApprovalsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  const params = await searchParams;
  const raw = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const filter = InboxFilter.parse(raw);
  const [page, systems, t, tStages, tSources, tMatrix, format] = await Promise.all([
    listApprovalInbox(actor, filter),
    inboxSystems(actor.personId),
    getTranslations("requests.inbox"),
    getTranslations("requests.stages"),
    getTranslations("requests.sources"),
    getTranslations("requests.matrix"),
    getFormatter(),
  ]);
  const when = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeStyle: "short" });
  const keep = (extra: Record<string, string>) =>
    new URLSearchParams(
      Object.entries({
        system: filter.system ?? "",
        sensitive: filter.sensitive ?? "",
        kind: filter.kind ?? "",
        q: filter.q ?? "",
        ...extra,
      }).filter(([, v]) => v),
    );
  const bulkable = page.rows.filter((r) => !r.isSensitive && !r.isAdministrative && r.kind === "GRANT");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <form method="get" className="mb-4 flex flex-wrap items-end gap-3" role="search">
        <FilterField id="inbox-system" label={t("system")}>
          <select id="inbox-system" name="system" defaultValue={filter.system ?? ""} className={filterControl}>
            <option value="">{t("all")}</option>
            {systems.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </FilterField>
        <FilterField id="inbox-sensitive" label={t("sensitivity")}>
          <select id="inbox-sensitive" name="sensitive" defaultValue={filter.sensitive ?? ""} className={filterControl}>
            <option value="">{t("all")}</option>
            <option value="1">{t("onlySensitive")}</option>
            <option value="0">{t("onlyStandard")}</option>
          </select>
        </FilterField>
        <FilterField id="inbox-kind" label={t("kind")}>
          <select id="inbox-kind" name="kind" defaultValue={filter.kind ?? ""} className={filterControl}>
            <option value="">{t("all")}</option>
            <option value="GRANT">{t("kinds.GRANT")}</option>
            <option value="ELEVATION">{t("kinds.ELEVATION")}</option>
            <option value="MATRIX_CHANGE">{t("kinds.MATRIX_CHANGE")}</option>
          </select>
        </FilterField>
        <FilterField id="inbox-q" label={t("search")}>
          <input
            id="inbox-q"
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
        <EmptyState title={t("empty")} hint={t("emptyHint")} />
      ) : (
        <>
          {bulkable.length ? <BulkApproveForm labels={Object.fromEntries(page.rows.map((r) => [r.requestId, r.number]))} /> : null}
          <Table caption={t("title")}>
            <thead>
              <tr>
                <Th>
                  <span className="sr-only">{t("select")}</span>
                </Th>
                <Th>{t("number")}</Th>
                <Th>{t("access")}</Th>
                <Th>{t("for")}</Th>
                <Th>{t("stage")}</Th>
                <Th>{t("submitted")}</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {page.rows.map((r) => {
                const canBulk = !r.isSensitive && !r.isAdministrative && r.kind === "GRANT";
                return (
                  <tr key={r.requestId} data-testid="inbox-row">
                    <Td>
                      {canBulk ? (
                        <input
                          type="checkbox"
                          form={BULK_FORM_ID}
                          name="requestId"
                          value={r.requestId}
                          aria-label={t("selectItem", { number: r.number })}
                        />
                      ) : (
                        <span className="text-xs text-slate-400" title={t("notBulk")}>
                          —
                        </span>
                      )}
                    </Td>
                    <Td className="font-mono text-xs">
                      <Link href={`/requests/${r.requestId}`} className="text-brand-700 hover:underline">
                        {r.number}
                      </Link>
                    </Td>
                    <Td>
                      <div>
                        {r.role?.name ?? (r.kind === "MATRIX_CHANGE" ? tMatrix("title") : "—")} ·{" "}
                        <span className="text-slate-500">{r.system.name}</span>
                      </div>
                      <ClassBadges isSensitive={r.isSensitive} isAdministrative={r.isAdministrative} kind={r.kind} />
                      <div className="max-w-md truncate text-xs text-slate-500" title={r.justification}>
                        {r.justification}
                      </div>
                    </Td>
                    <Td>
                      {r.subject.name} ({r.subject.employeeNo})
                      {r.requester.employeeNo !== r.subject.employeeNo ? (
                        <div className="text-xs text-slate-500">{t("requestedBy", { name: r.requester.name })}</div>
                      ) : null}
                    </Td>
                    <Td>
                      {tStages(r.stageKind)}
                      {r.source !== "RESOLVED" ? (
                        <div className="text-xs text-slate-500">{tSources(r.source, { name: r.onBehalfOfName ?? "" })}</div>
                      ) : null}
                    </Td>
                    <Td className="whitespace-nowrap">
                      {when(r.createdAt)}
                      <div className="text-xs text-slate-500">{t("expires", { when: when(r.expiresAt) })}</div>
                    </Td>
                  </tr>
                );
              })}
            </tbody>
          </Table>
        </>
      )}
      <div className="mt-4 flex justify-end gap-2">
        {filter.cursor ? <LinkButton href={`/approvals?${keep({})}`}>{t("firstPage")}</LinkButton> : null}
        {page.nextCursor ? <LinkButton href={`/approvals?${keep({ cursor: page.nextCursor })}`}>{t("nextPage")}</LinkButton> : null}
      </div>
    </>
  );
}
