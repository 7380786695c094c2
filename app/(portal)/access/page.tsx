import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { listMyAccess } from "@/lib/access/queries";
import { Badge, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { LinkButton } from "@/components/ui/button";
import { GiveUpGrantForm } from "@/components/access/access-forms";
import { FormNotice } from "@/components/ui/field";

export async function generateMetadata() {
  const t = await getTranslations("myAccess");
  return { title: t("title") };
}

const DAY = 86_400_000;

export default async function MyAccessPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  const params = await searchParams;
  const cursor = typeof params.cursor === "string" ? params.cursor : undefined;
  const now = new Date();
  const [page, t, tSens, format, locale] = await Promise.all([
    listMyAccess(actor.personId, { cursor }, now),
    getTranslations("myAccess"),
    getTranslations("myAccess.sensitivity"),
    getFormatter(),
    getLocale(),
  ]);
  const label = (x: { name: string; nameEn: string | null }) => (locale === "en" && x.nameEn ? x.nameEn : x.name);
  const when = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeStyle: "short" });
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <>
            <LinkButton href="/requests" data-testid="pending-requests">
              {t("pendingRequests", { count: page.pendingRequests })}
            </LinkButton>
            <LinkButton href="/requests/new" variant="primary">
              {t("requestAccess")}
            </LinkButton>
          </>
        }
      />
      {params.done === "given-up" ? (
        <div className="mb-4">
          <FormNotice message={t("gaveUp")} />
        </div>
      ) : null}
      {page.rows.length === 0 ? (
        <EmptyState
          title={cursor ? t("noMore") : t("empty")}
          hint={t("emptyHint")}
          action={
            <LinkButton href="/requests/new" variant="primary">
              {t("requestAccess")}
            </LinkButton>
          }
        />
      ) : (
        <Table caption={t("title")}>
          <thead>
            <tr>
              <Th>{t("system")}</Th>
              <Th>{t("role")}</Th>
              <Th>{t("sensitivityColumn")}</Th>
              <Th>{t("since")}</Th>
              <Th>{t("ends")}</Th>
              <Th>{t("basis")}</Th>
              <Th>{t("actions")}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100" data-testid="my-access">
            {page.rows.map((g) => {
              const left = g.endsAt ? g.endsAt.getTime() - now.getTime() : null;
              const tone = left === null ? null : left <= DAY ? "red" : left <= 7 * DAY ? "amber" : "neutral";
              return (
                <tr key={g.id} data-grant={g.id}>
                  <Td>
                    <div className="font-medium">{label(g.system)}</div>
                    <div className="font-mono text-xs text-slate-500">
                      {g.system.code} · {g.loginName}
                    </div>
                  </Td>
                  <Td>
                    {label(g.role)}
                    {g.role.isAdministrative ? (
                      <>
                        {" "}
                        <Badge tone="amber">{t("administrative")}</Badge>
                      </>
                    ) : null}
                    {g.request?.kind === "ELEVATION" ? (
                      <>
                        {" "}
                        <Badge tone="amber">{t("elevation")}</Badge>
                      </>
                    ) : null}
                  </Td>
                  <Td>
                    {g.sensitivity ? (
                      <Badge tone={g.isSensitive ? "red" : "neutral"}>{tSens(g.sensitivity)}</Badge>
                    ) : (
                      <span className="text-xs text-slate-500">{t("noCustomerData")}</span>
                    )}
                  </Td>
                  <Td className="text-xs whitespace-nowrap">{when(g.startsAt)}</Td>
                  <Td className="text-xs whitespace-nowrap">
                    {g.endsAt ? (
                      <>
                        <div>{when(g.endsAt)}</div>
                        <Badge tone={tone === "neutral" ? "neutral" : tone!}>
                          {t("expiresIn", { when: format.relativeTime(g.endsAt, now) })}
                        </Badge>
                      </>
                    ) : (
                      <span className="text-slate-500">{t("permanent")}</span>
                    )}
                  </Td>
                  <Td className="text-xs">
                    {g.request ? (
                      <Link href={`/requests/${g.request.id}`} className="text-brand-700 hover:underline">
                        {g.request.number}
                      </Link>
                    ) : (
                      (g.basis ?? g.reason)
                    )}
                  </Td>
                  <Td className="space-y-1 text-xs">
                    {g.pendingRenewal ? (
                      <Link href={`/requests/${g.pendingRenewal.id}`} className="block whitespace-nowrap text-brand-700 hover:underline">
                        {t("renewalPending", { number: g.pendingRenewal.number })}
                      </Link>
                    ) : g.endsAt ? (
                      <Link
                        href={`/requests/new?renew=${g.id}`}
                        className="block whitespace-nowrap text-brand-700 hover:underline"
                        aria-label={t("renewLabel", { role: label(g.role) })}
                      >
                        {t("renew")}
                      </Link>
                    ) : null}
                    <GiveUpGrantForm grantId={g.id} label={`${label(g.system)} · ${label(g.role)}`} />
                  </Td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      )}
      <div className="mt-4 flex justify-end gap-2">
        {cursor ? <LinkButton href="/access">{t("firstPage")}</LinkButton> : null}
        {page.nextCursor ? <LinkButton href={`/access?cursor=${encodeURIComponent(page.nextCursor)}`}>{t("nextPage")}</LinkButton> : null}
      </div>
    </>
  );
}
