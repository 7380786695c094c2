import Link from "next/link";
import { forbidden } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { listSystems } from "@/lib/systems/queries";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { SystemForm } from "@/components/systems/forms";

export async function generateMetadata() {
  const t = await getTranslations("systems");
  return { title: t("title") };
}

export default async function SystemsPage() {
  const actor = await requireActor();
  if (!can(actor, "systems:read")) forbidden();
  const manage = can(actor, "systems:manage");
  const [systems, t, tc, locale] = await Promise.all([
    listSystems(actor),
    getTranslations("systems"),
    getTranslations("catalog"),
    getLocale(),
  ]);
  const en = locale === "en";
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <div className="grid gap-4 xl:grid-cols-3">
        <div className={manage ? "xl:col-span-2" : "xl:col-span-3"}>
          {systems.length === 0 ? (
            <EmptyState title={t("empty")} hint={manage ? t("emptyHintAdmin") : t("emptyHint")} />
          ) : (
            <Table caption={t("title")}>
              <thead>
                <tr>
                  <Th>{t("code")}</Th>
                  <Th>{t("name")}</Th>
                  <Th>{t("environment")}</Th>
                  <Th>{t("kind")}</Th>
                  <Th>{t("owner")}</Th>
                  <Th>{t("administrators")}</Th>
                  <Th>{t("counts")}</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {systems.map((s) => (
                  <tr key={s.id}>
                    <Td className="font-mono text-xs">{s.code}</Td>
                    <Td>
                      <Link href={`/systems/${s.id}`} className="font-medium text-brand-700 hover:underline">
                        {en && s.nameEn ? s.nameEn : s.name}
                      </Link>
                    </Td>
                    <Td>
                      <Badge tone={s.environment === "PRODUCTION" ? "blue" : "neutral"}>{tc(`environments.${s.environment}`)}</Badge>
                    </Td>
                    <Td className="text-xs">{tc(`kinds.${s.kind}`)}</Td>
                    <Td className="text-xs">{en && s.ownerOrg.nameEn ? s.ownerOrg.nameEn : s.ownerOrg.name}</Td>
                    <Td className="text-xs">
                      {s.roleAssignments.map((a) => a.person.name).join("、") || (
                        <span className="text-amber-700">{t("noAdministrator")}</span>
                      )}
                    </Td>
                    <Td className="text-xs">{t("countsValue", { permissions: s._count.permissions, roles: s._count.jobRoles })}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </div>
        {manage ? (
          <Card title={t("newSystem")}>
            <SystemForm />
          </Card>
        ) : null}
      </div>
    </>
  );
}
