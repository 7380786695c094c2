import Link from "next/link";
import { forbidden } from "next/navigation";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { listPortalRoleAssignments, listSystemsForSelect } from "@/lib/portal-roles/queries";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { GrantRoleForm, RevokeRoleForm } from "@/components/admin/portal-role-forms";

export async function generateMetadata() {
  const t = await getTranslations("portalRoles");
  return { title: t("title") };
}

export default async function PortalRolesPage() {
  const actor = await requireActor();
  if (!can(actor, "portal-roles:read")) forbidden();
  const manage = can(actor, "portal-roles:manage");
  const [rows, systems, t, tr, format, locale] = await Promise.all([
    listPortalRoleAssignments(),
    listSystemsForSelect(),
    getTranslations("portalRoles"),
    getTranslations("roles"),
    getFormatter(),
    getLocale(),
  ]);
  const en = locale === "en";
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <div className="grid gap-4 xl:grid-cols-3">
        <div className="xl:col-span-2">
          <Table caption={t("title")}>
            <thead>
              <tr>
                <Th>{t("person")}</Th>
                <Th>{t("role")}</Th>
                <Th>{t("scope")}</Th>
                <Th>{t("since")}</Th>
                {manage ? <Th>{t("revoke")}</Th> : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((r) => (
                <tr key={r.id}>
                  <Td>
                    <Link className="text-brand-700 hover:underline" href={`/people/${r.person.id}`}>
                      {r.person.name}
                    </Link>{" "}
                    <span className="font-mono text-xs text-slate-500">{r.person.employeeNo}</span>
                  </Td>
                  <Td>
                    <Badge tone="blue">{tr(r.role)}</Badge>
                  </Td>
                  <Td className="text-xs">
                    {r.system
                      ? `${r.system.code} · ${r.system.name}`
                      : r.orgUnit
                        ? en && r.orgUnit.nameEn
                          ? r.orgUnit.nameEn
                          : r.orgUnit.name
                        : t("global")}
                  </Td>
                  <Td className="text-xs">{format.dateTime(r.createdAt, { dateStyle: "medium" })}</Td>
                  {manage ? (
                    <Td>
                      <RevokeRoleForm assignmentId={r.id} />
                    </Td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </Table>
        </div>
        {manage ? (
          <Card title={t("grantTitle")}>
            <p className="mb-3 text-xs text-slate-600">{t("sodNote")}</p>
            <GrantRoleForm systems={systems.map((s) => ({ id: s.id, label: `${s.code} · ${en && s.nameEn ? s.nameEn : s.name}` }))} />
          </Card>
        ) : null}
      </div>
    </>
  );
}
