import { forbidden } from "next/navigation";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { listApiTokens, listSystemsForTokens } from "@/lib/api-tokens/queries";
import { API_OPERATIONS } from "@/lib/api-tokens/operations";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/button";
import { Table, Td, Th } from "@/components/ui/table";
import { CreateApiTokenForm, RevokeApiTokenForm } from "@/components/admin/api-token-forms";

export async function generateMetadata() {
  const t = await getTranslations("apiTokens");
  return { title: t("title") };
}

const STATUS_TONE = { active: "green", expired: "amber", revoked: "red" } as const;

export default async function ApiTokensPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  if (!can(actor, "api-tokens:manage")) forbidden();
  const sp = await searchParams;
  const before = typeof sp.before === "string" ? sp.before : undefined;
  const [page, systems, t, format, locale] = await Promise.all([
    listApiTokens(actor, { before }),
    listSystemsForTokens(actor),
    getTranslations("apiTokens"),
    getFormatter(),
    getLocale(),
  ]);
  const en = locale === "en";
  const when = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: "medium", timeStyle: "short" }) : t("never"));
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <a className="text-sm text-brand-700 hover:underline" href="/api/v1/openapi.json">
            {t("docs")}
          </a>
        }
      />
      <div className="grid gap-4 xl:grid-cols-3">
        <div className="space-y-3 xl:col-span-2">
          {page.rows.length === 0 ? (
            <EmptyState title={t("empty")} hint={t("emptyHint")} />
          ) : (
            <Table caption={t("title")}>
              <thead>
                <tr>
                  <Th>{t("name")}</Th>
                  <Th>{t("prefix")}</Th>
                  <Th>{t("systems")}</Th>
                  <Th>{t("operations")}</Th>
                  <Th>{t("expires")}</Th>
                  <Th>{t("lastUsed")}</Th>
                  <Th>{t("status")}</Th>
                  <Th>{t("revoke")}</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {page.rows.map((r) => (
                  <tr key={r.id} data-testid={`api-token-${r.prefix}`}>
                    <Td>
                      <div className="font-medium">{r.name}</div>
                      {r.createdBy ? (
                        <div className="text-xs text-slate-500">
                          {t("createdBy")}: {r.createdBy.name} ({r.createdBy.employeeNo})
                        </div>
                      ) : null}
                    </Td>
                    <Td className="font-mono text-xs">4a_{r.prefix}_…</Td>
                    <Td className="text-xs">{r.systems.join(", ")}</Td>
                    <Td className="text-xs">
                      {r.operations.map((op) => (
                        <div key={op}>
                          <code>{op}</code>
                        </div>
                      ))}
                    </Td>
                    <Td className="text-xs whitespace-nowrap">{when(r.expiresAt)}</Td>
                    <Td className="text-xs whitespace-nowrap">{when(r.lastUsedAt)}</Td>
                    <Td>
                      <Badge tone={STATUS_TONE[r.status]}>{t(`statuses.${r.status}`)}</Badge>
                    </Td>
                    <Td>{r.status === "revoked" ? null : <RevokeApiTokenForm tokenId={r.id} name={r.name} />}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
          <div className="flex gap-2">
            {before ? <LinkButton href="/admin/api-tokens">{t("newest")}</LinkButton> : null}
            {page.nextCursor ? <LinkButton href={`/admin/api-tokens?before=${page.nextCursor}`}>{t("older")}</LinkButton> : null}
          </div>
        </div>
        <Card title={t("createTitle")}>
          <CreateApiTokenForm
            systems={systems.map((s) => ({ id: s.id, label: `${s.code} · ${en && s.nameEn ? s.nameEn : s.name}` }))}
            operations={API_OPERATIONS}
          />
        </Card>
      </div>
    </>
  );
}
