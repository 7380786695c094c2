import Link from "next/link";
import { forbidden } from "next/navigation";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { listActiveElevations } from "@/lib/access/queries";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { LinkButton } from "@/components/ui/button";
import { EndElevationForm } from "@/components/access/access-forms";
import { FormNotice } from "@/components/ui/field";

export async function generateMetadata() {
  const t = await getTranslations("elevations");
  return { title: t("title") };
}

export default async function ElevationsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  if (!can(actor, "elevations:read")) forbidden();
  const mayEnd = can(actor, "elevations:end");
  const params = await searchParams;
  const cursor = typeof params.cursor === "string" ? params.cursor : undefined;
  const now = new Date();
  const [page, t, tStage, format, locale] = await Promise.all([
    listActiveElevations(actor, { cursor }, now),
    getTranslations("elevations"),
    getTranslations("elevations.stage"),
    getFormatter(),
    getLocale(),
  ]);
  const label = (x: { name: string; nameEn: string | null }) => (locale === "en" && x.nameEn ? x.nameEn : x.name);
  const when = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeStyle: "short" });
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {params.done === "ended" ? (
        <div className="mb-4">
          <FormNotice message={t("ended")} />
        </div>
      ) : null}
      {page.rows.length === 0 ? (
        <EmptyState title={t("empty")} hint={t("emptyHint")} />
      ) : (
        <Table caption={t("title")}>
          <thead>
            <tr>
              <Th>{t("person")}</Th>
              <Th>{t("sponsor")}</Th>
              <Th>{t("access")}</Th>
              <Th>{t("request")}</Th>
              <Th>{t("approvedBy")}</Th>
              <Th>{t("endsAt")}</Th>
              {mayEnd ? <Th>{t("end")}</Th> : null}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100" data-testid="elevations">
            {page.rows.map((e) => (
              <tr key={e.grantId}>
                <Td>
                  <div className="font-medium">{e.person.name}</div>
                  <div className="text-xs text-slate-500">
                    {e.person.employeeNo}
                    {e.person.vendor ? ` · ${e.person.vendor}` : ""}
                  </div>
                </Td>
                <Td className="text-xs">{e.sponsor ? `${e.sponsor.name} (${e.sponsor.employeeNo})` : "—"}</Td>
                <Td>
                  <div>{label(e.system)}</div>
                  <div className="text-xs text-slate-500">
                    {label(e.role)} · <span className="font-mono">{e.loginName}</span>
                  </div>
                </Td>
                <Td className="text-xs">
                  <Link href={`/requests/${e.request.id}`} className="text-brand-700 hover:underline">
                    {e.request.number}
                  </Link>
                  <div className="max-w-xs text-slate-600">{e.request.justification}</div>
                </Td>
                <Td className="text-xs">
                  <ul>
                    {e.approvals.map((a, i) => (
                      <li key={i}>
                        {tStage.has(a.stage) ? tStage(a.stage) : a.stage}: {a.approver}
                        {a.onBehalfOf ? ` ${t("onBehalfOf", { name: a.onBehalfOf })}` : ""} · {when(a.at)}
                      </li>
                    ))}
                  </ul>
                </Td>
                <Td className="text-xs whitespace-nowrap">
                  <div>{when(e.endsAt)}</div>
                  <div className="font-medium text-amber-800">{t("timeLeft", { when: format.relativeTime(e.endsAt, now) })}</div>
                </Td>
                {mayEnd ? (
                  <Td>
                    <EndElevationForm grantId={e.grantId} label={`${e.person.name} · ${label(e.role)}`} />
                  </Td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <div className="mt-4 flex justify-end gap-2">
        {cursor ? <LinkButton href="/elevations">{t("firstPage")}</LinkButton> : null}
        {page.nextCursor ? (
          <LinkButton href={`/elevations?cursor=${encodeURIComponent(page.nextCursor)}`}>{t("nextPage")}</LinkButton>
        ) : null}
      </div>
    </>
  );
}
