import { forbidden, notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { getSystemDetail } from "@/lib/systems/queries";
import { loadClassificationSettings } from "@/lib/settings/queries";
import { Badge, Card, DescriptionList, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { JobRoleForm, PermissionForm, SystemForm } from "@/components/systems/forms";
import { CatalogueTable } from "@/components/systems/catalogue-table";
import { MatrixForm } from "@/components/systems/matrix-form";
import { listSystemAccounts } from "@/lib/grants/queries";
import Link from "next/link";
import { AssignOwnerForm, SlaveAccountActionForm } from "@/components/slave-accounts/slave-account-forms";
import { allowedSlaveAccountChanges } from "@/lib/slave-accounts/change-slave-account-status";
import { dayIn } from "@/lib/time/calendar";
import { LazyDetails } from "@/components/ui/lazy-details";

const SYSTEM_PAGE_ACCOUNTS = 25;

export default async function SystemPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ orphans?: string; after?: string }>;
}) {
  const actor = await requireActor();
  if (!can(actor, "systems:read")) forbidden();
  const { id } = await params;
  const system = await getSystemDetail(actor, id);
  if (system === null) notFound();
  if (system === "forbidden") forbidden();
  const editable = can(actor, "catalog:manage", { systemId: system.id });
  const { orphans, after } = await searchParams;
  const showAccounts = can(actor, "grants:read");
  const accounts = showAccounts
    ? // 25 accounts a page: the page also holds the catalogue and the matrix (e2e/page-weight.spec.ts).
      await listSystemAccounts(system.id, {
        orphans: orphans === "1",
        after: typeof after === "string" ? after.slice(0, 64) : undefined,
        pageSize: SYSTEM_PAGE_ACCOUNTS,
      })
    : null;
  const manageSystem = can(actor, "systems:manage");
  // The system's account administrators run its accounts' lifecycle (and fix its orphans, R2).
  const manageAccounts = !!accounts && can(actor, "grants:manage", { systemId: system.id });
  const tl = await getTranslations("lifecycle.accounts");
  const [t, tc, locale, classification] = await Promise.all([
    getTranslations("systems"),
    getTranslations("catalog"),
    getLocale(),
    loadClassificationSettings(),
  ]);
  const en = locale === "en";
  const label = (x: { name: string; nameEn: string | null }) => (en && x.nameEn ? x.nameEn : x.name);
  const sensitive = (level: string) => (classification.sensitiveLevels as string[]).includes(level);
  const activePermissions = system.permissions.filter((p) => p.isActive);
  const activeRoles = system.jobRoles.filter((r) => r.isActive);
  return (
    <>
      <PageHeader
        title={`${system.code} · ${label(system)}`}
        description={system.description ?? undefined}
        actions={
          <span className="flex gap-4">
            <Link
              className="text-sm text-brand-700 hover:underline"
              href={`/systems/${system.id}/approvals`}
              data-testid="system-approvals-link"
            >
              {(await getTranslations("requests.chain"))("link")}
            </Link>
            <Link
              className="text-sm text-brand-700 hover:underline"
              href={`/systems/${system.id}/provisioning`}
              data-testid="system-provisioning-link"
            >
              {(await getTranslations("provisioning"))("link")}
            </Link>
            {can(actor, "grants:manage", { systemId: system.id }) ? (
              <Link
                className="text-sm text-brand-700 hover:underline"
                href={`/systems/${system.id}/import`}
                data-testid="system-import-link"
              >
                {(await getTranslations("accountImport"))("link")}
              </Link>
            ) : null}
          </span>
        }
      />
      <div className="space-y-4">
        <div className="grid gap-4 lg:grid-cols-3">
          <Card title={t("details")} className="lg:col-span-2">
            <DescriptionList
              items={[
                { label: t("environment"), value: tc(`environments.${system.environment}`) },
                { label: t("kind"), value: tc(`kinds.${system.kind}`) },
                { label: t("owner"), value: label(system.ownerOrg) },
                { label: t("isConnected"), value: system.isConnected ? t("yes") : t("no") },
                {
                  label: t("administrators"),
                  value: system.roleAssignments.map((a) => `${a.person.name} (${a.person.employeeNo})`).join("、") || t("noAdministrator"),
                },
              ]}
            />
          </Card>
          {manageSystem ? (
            <Card title={t("editSystem")}>
              <SystemForm
                system={{
                  id: system.id,
                  code: system.code,
                  name: system.name,
                  nameEn: system.nameEn,
                  description: system.description,
                  environment: system.environment,
                  kind: system.kind,
                  ownerOrgId: system.ownerOrgId,
                  isConnected: system.isConnected,
                }}
                owner={{ id: system.ownerOrgId, label: label(system.ownerOrg) }}
              />
            </Card>
          ) : null}
        </div>

        <CatalogueTable
          kind="permissions"
          entries={system.permissions}
          name={label}
          columns={[
            { header: t("dataKind"), className: "text-xs", cell: (p) => tc(`dataKinds.${p.dataKind}`) },
            {
              header: t("sensitivity"),
              cell: (p) => (
                <Badge tone={sensitive(p.sensitivity) ? "red" : "neutral"}>
                  {tc(`sensitivities.${p.sensitivity}`)}
                  {sensitive(p.sensitivity) ? ` · ${t("sensitiveBadge")}` : ""}
                </Badge>
              ),
            },
            { header: t("operation"), className: "text-xs", cell: (p) => tc(`operations.${p.operation}`) },
          ]}
          flags={(p) => [p.isLogManagement ? t("isLogManagement") : null, p.isAccountCreation ? t("isAccountCreation") : null]}
          editable={editable}
          editWidth="w-[36rem]"
          editForm={(p) => <PermissionForm systemId={system.id} permission={p} />}
          newForm={<PermissionForm systemId={system.id} />}
        />

        <CatalogueTable
          kind="roles"
          entries={system.jobRoles}
          name={label}
          columns={[{ header: t("description"), className: "text-xs", cell: (r) => r.description }]}
          flags={(r) => [r.isAdministrative ? t("administrative") : null, r.isRequestable ? t("requestable") : null]}
          editable={editable}
          editWidth="w-[32rem]"
          editForm={(r) => <JobRoleForm systemId={system.id} role={r} />}
          newForm={<JobRoleForm systemId={system.id} />}
        />

        {accounts ? (
          <Card
            title={t("accounts")}
            actions={
              <Link
                href={orphans === "1" ? `/systems/${system.id}` : `/systems/${system.id}?orphans=1`}
                className="text-sm text-brand-700 hover:underline"
              >
                {orphans === "1" ? t("allAccounts") : t("orphansOnly")}
              </Link>
            }
          >
            {accounts.rows.length === 0 ? (
              <EmptyState title={orphans === "1" ? t("noOrphans") : t("noAccounts")} />
            ) : (
              <Table caption={t("accounts")}>
                <thead>
                  <tr>
                    <Th>{t("loginName")}</Th>
                    <Th>{t("accountOwner")}</Th>
                    <Th>{t("accountStatus")}</Th>
                    <Th>{t("liveGrants")}</Th>
                    <Th>{t("lastLogin")}</Th>
                    {manageAccounts ? <Th>{tl("actions")}</Th> : null}
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100" data-testid="system-accounts">
                  {accounts.rows.map((a) => (
                    <tr key={a.id}>
                      <Td className="font-mono text-xs">{a.loginName}</Td>
                      <Td className="text-xs">
                        {a.person ? (
                          <Link href={`/people/${a.person.id}`} className="text-brand-700 hover:underline">
                            {a.person.name} ({a.person.employeeNo})
                          </Link>
                        ) : (
                          t("unknownOwner")
                        )}
                        {a.isOrphan ? (
                          <span className="ml-2">
                            <Badge tone="red">{t("orphan")}</Badge>
                          </span>
                        ) : null}
                      </Td>
                      <Td className="text-xs">{tc(`slaveStatuses.${a.status as "ACTIVE"}`)}</Td>
                      <Td className="text-xs">{a.liveGrants}</Td>
                      <Td className="text-xs">{a.lastLoginAt ? dayIn(a.lastLoginAt) : "—"}</Td>
                      {manageAccounts ? (
                        <Td>
                          {/* Built when opened (LazyDetails): 25 rows of lifecycle forms were most of the page. */}
                          {allowedSlaveAccountChanges(a.status as "ACTIVE").length || a.isOrphan ? (
                            <LazyDetails summary={tl("actions")} summaryClassName="cursor-pointer text-xs text-brand-700">
                              <div className="mt-2">
                                <SlaveAccountActionForm
                                  slaveAccountId={a.id}
                                  status={a.status}
                                  ops={allowedSlaveAccountChanges(a.status as "ACTIVE")}
                                  systemId={system.id}
                                  personId={a.person?.id}
                                  label={a.loginName}
                                />
                                {a.isOrphan ? <AssignOwnerForm slaveAccountId={a.id} systemId={system.id} label={a.loginName} /> : null}
                              </div>
                            </LazyDetails>
                          ) : null}
                        </Td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
            {accounts.next ? (
              <p className="mt-3 text-right text-sm">
                <Link
                  className="text-brand-700 hover:underline"
                  href={`/systems/${system.id}?${new URLSearchParams({ ...(orphans === "1" ? { orphans: "1" } : {}), after: accounts.next })}`}
                >
                  {t("nextPage")}
                </Link>
              </p>
            ) : null}
          </Card>
        ) : null}

        <Card title={t("matrix")}>
          {activeRoles.length && activePermissions.length ? (
            <MatrixForm
              systemId={system.id}
              editable={editable}
              cells={system.matrix}
              roles={activeRoles.map((r) => ({ id: r.id, code: r.code, label: label(r), isAdministrative: r.isAdministrative }))}
              permissions={activePermissions.map((p) => ({
                id: p.id,
                code: p.code,
                label: label(p),
                sensitive: sensitive(p.sensitivity),
                sensitivityLabel: tc(`sensitivities.${p.sensitivity}`),
              }))}
            />
          ) : (
            <EmptyState title={t("matrixEmpty")} />
          )}
        </Card>
      </div>
    </>
  );
}
