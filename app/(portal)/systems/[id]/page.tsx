import { forbidden, notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { countOpenMatrixCells, getSystemDetail, listSystemPermissions, listSystemRoles } from "@/lib/systems/queries";
import { loadClassificationSettings } from "@/lib/settings/queries";
import { Badge, Card, DescriptionList, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { JobRoleForm, PermissionForm, SystemForm } from "@/components/systems/forms";
import { CatalogueTable } from "@/components/systems/catalogue-table";
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
  searchParams: Promise<{ orphans?: string; after?: string; perms?: string; roles?: string }>;
}) {
  const actor = await requireActor();
  if (!can(actor, "systems:read")) forbidden();
  const { id } = await params;
  const system = await getSystemDetail(actor, id);
  if (system === null) notFound();
  if (system === "forbidden") forbidden();
  const editable = can(actor, "catalog:manage", { systemId: system.id });
  const { orphans, after, perms, roles } = await searchParams;
  const one = (v: unknown) => (typeof v === "string" ? v.slice(0, 1000) : undefined);
  // Each section pages on its own keyset (issue 13): a link keeps the other sections where they were.
  const current = { orphans: orphans === "1" ? "1" : undefined, after: one(after)?.slice(0, 64), perms: one(perms), roles: one(roles) };
  const href = (over: Partial<Record<keyof typeof current, string | undefined>>) => {
    const qs = new URLSearchParams(Object.entries({ ...current, ...over }).filter((e): e is [string, string] => !!e[1])).toString();
    return qs ? `/systems/${system.id}?${qs}` : `/systems/${system.id}`;
  };
  const [permissionPage, rolePage, openCells] = await Promise.all([
    listSystemPermissions(system.id, { cursor: current.perms }),
    listSystemRoles(system.id, { cursor: current.roles }),
    countOpenMatrixCells(system.id),
  ]);
  const showAccounts = can(actor, "grants:read");
  const accounts = showAccounts
    ? // 25 accounts a page: the page also holds the catalogue and the matrix (e2e/page-weight.spec.ts).
      await listSystemAccounts(system.id, {
        orphans: orphans === "1",
        after: current.after,
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
  const pager = (cursor: string | undefined, next: string | null, key: "perms" | "roles") =>
    cursor || next ? (
      <p className="mt-3 flex justify-end gap-4 text-sm">
        {cursor ? (
          <Link className="text-brand-700 hover:underline" href={href({ [key]: undefined })}>
            {t("firstPage")}
          </Link>
        ) : null}
        {next ? (
          <Link className="text-brand-700 hover:underline" href={href({ [key]: next })} data-testid={`${key}-next`}>
            {t("nextPage")}
          </Link>
        ) : null}
      </p>
    ) : null;
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
          entries={permissionPage.rows}
          total={system._count.permissions}
          pager={pager(current.perms, permissionPage.nextCursor, "perms")}
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
          entries={rolePage.rows}
          total={system._count.jobRoles}
          pager={pager(current.roles, rolePage.nextCursor, "roles")}
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
                href={href({ orphans: orphans === "1" ? undefined : "1", after: undefined })}
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
                <Link className="text-brand-700 hover:underline" href={href({ after: accounts.next })}>
                  {t("nextPage")}
                </Link>
              </p>
            ) : null}
          </Card>
        ) : null}

        {/* The matrix is its own route, a page of roles × a page of permissions (a 150 × 40 system was 1.7 MB here). */}
        <Card
          title={t("matrix")}
          actions={
            <Link className="text-sm text-brand-700 hover:underline" href={`/systems/${system.id}/matrix`} data-testid="system-matrix-link">
              {t("openMatrix")}
            </Link>
          }
        >
          <p className="text-sm text-slate-600" data-testid="matrix-summary">
            {t("matrixSummary", { roles: system._count.jobRoles, permissions: system._count.permissions, cells: openCells })}
          </p>
        </Card>
      </div>
    </>
  );
}
