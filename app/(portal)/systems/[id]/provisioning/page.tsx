import Link from "next/link";
import { forbidden, notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { getSystemDetail } from "@/lib/systems/queries";
import { deliveryCounts, failedDeliveries, getConnector, listAttempts, reconciliationView } from "@/lib/provisioning/queries";
import { Badge, Card, DescriptionList, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { listManualTasks, recentlyDoneTasks, type TaskRow } from "@/lib/provisioning/manual-tasks";
import {
  ReconcileButton,
  RemediateForm,
  CompleteTaskForm,
  ConnectorForm,
  ReleaseHeldForm,
  RemoveConnectorForm,
  RequeueForm,
  TestConnectionButton,
} from "./_components/connector-forms";

// A business system's provisioning: how the portal reaches it, the health of deliveries, what was given
// up, and every attempt (newest first, keyset pages). Read by whoever may read the system; changed by
// its account administrators.
export default async function ProvisioningPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ before?: string; tasks?: string }>;
}) {
  const actor = await requireActor();
  if (!can(actor, "systems:read")) forbidden();
  const { id } = await params;
  const system = await getSystemDetail(actor, id);
  if (system === null) notFound();
  if (system === "forbidden") forbidden();
  const { before, tasks: tasksCursor } = await searchParams;
  const manage = can(actor, "connectors:manage", { systemId: system.id });
  const [t, format, connector, counts, failed, attempts, openTasks, doneTasks, recon] = await Promise.all([
    getTranslations("provisioning"),
    getFormatter(),
    getConnector(system.id),
    deliveryCounts(system.id),
    failedDeliveries(system.id),
    listAttempts(system.id, typeof before === "string" ? before.slice(0, 200) : null),
    listManualTasks(system.id, "OPEN", typeof tasksCursor === "string" ? tasksCursor.slice(0, 200) : null),
    recentlyDoneTasks(system.id),
    reconciliationView(system.id),
  ]);
  const what = (task: TaskRow) =>
    t.has(`ops.${task.operation.replace(".", "-")}`)
      ? t(`ops.${task.operation.replace(".", "-")}` as "ops.grant-created", {
          login: task.details.loginName ?? "—",
          role: task.details.roleCode ?? "—",
        })
      : task.operation;
  const when = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: "medium", timeStyle: "medium" }) : t("never"));
  const now = new Date();
  const circuitOpen = !!connector?.circuitOpenUntil && connector.circuitOpenUntil > now;
  return (
    <>
      <PageHeader
        title={t("title", { system: system.code })}
        description={t("description")}
        actions={
          <Link className="text-sm text-brand-700 hover:underline" href={`/systems/${system.id}`}>
            {t("back")}
          </Link>
        }
      />
      <div className="space-y-4">
        {connector?.heldAt ? (
          <Card title={t("held")}>
            <p role="alert" className="mb-3 text-sm text-red-700">
              {t("heldText", { count: connector.heldCount, at: when(connector.heldAt), percent: connector.safetyMaxPercent })}
            </p>
            {manage ? <ReleaseHeldForm systemId={system.id} /> : null}
          </Card>
        ) : null}
        <div className="grid gap-4 lg:grid-cols-3">
          <Card title={t("connector")} className="lg:col-span-2">
            {connector ? (
              <DescriptionList
                items={[
                  { label: t("kind"), value: t(`kinds.${connector.kind}`) },
                  ...(connector.kind === "SCIM"
                    ? [
                        { label: t("baseUrl"), value: <code className="text-xs">{connector.baseUrl}</code> },
                        { label: t("auth"), value: connector.auth ? t(`auths.${connector.auth}`) : "—" },
                        { label: t("roleMapping"), value: t(`mappings.${connector.roleMapping}`) },
                        { label: t("maxAttempts"), value: connector.maxAttempts },
                        {
                          label: t("health"),
                          value: circuitOpen ? (
                            <Badge tone="red">{t("circuitOpen", { until: when(connector.circuitOpenUntil) })}</Badge>
                          ) : connector.consecutiveFailures > 0 ? (
                            <Badge tone="amber">{t("failing", { n: connector.consecutiveFailures })}</Badge>
                          ) : (
                            <Badge tone="green">{t("healthy")}</Badge>
                          ),
                        },
                        { label: t("lastSuccess"), value: when(connector.lastSuccessAt) },
                        { label: t("lastFailure"), value: when(connector.lastFailureAt) },
                      ]
                    : []),
                  {
                    label: t("counts"),
                    value: t("countsValue", { pending: counts.pending, delivered: counts.delivered, failed: counts.failed }),
                  },
                  { label: t("oldestPending"), value: when(counts.oldestPendingAt) },
                ]}
              />
            ) : (
              <EmptyState title={t("none")} hint={t("noneHint")} />
            )}
            {manage && connector?.kind === "SCIM" ? (
              <div className="mt-4">
                <TestConnectionButton systemId={system.id} />
              </div>
            ) : null}
          </Card>
          {manage ? (
            <Card title={t("configure")}>
              <ConnectorForm systemId={system.id} connector={connector} />
              {connector ? (
                <div className="mt-6 border-t border-slate-200 pt-4">
                  <RemoveConnectorForm systemId={system.id} />
                </div>
              ) : null}
            </Card>
          ) : null}
        </div>

        {connector?.kind === "MANUAL" || openTasks.rows.length > 0 || doneTasks.length > 0 ? (
          <Card title={t("tasksTitle", { n: openTasks.rows.length })}>
            {openTasks.rows.length === 0 ? (
              <p className="text-sm text-slate-600">{t("noTasks")}</p>
            ) : (
              <Table caption={t("tasksTitle", { n: openTasks.rows.length })}>
                <thead>
                  <tr>
                    <Th>{t("queuedAt")}</Th>
                    <Th>{t("task")}</Th>
                    {manage ? <Th>{t("action")}</Th> : null}
                  </tr>
                </thead>
                <tbody>
                  {openTasks.rows.map((task) => (
                    <tr key={task.id} data-testid="manual-task">
                      <Td className="text-xs">{when(task.createdAt)}</Td>
                      <Td>{what(task)}</Td>
                      {manage ? (
                        <Td>
                          <CompleteTaskForm systemId={system.id} taskId={task.id} />
                        </Td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
            {openTasks.nextCursor ? (
              <Link
                className="mt-3 inline-block text-sm text-brand-700 hover:underline"
                href={`/systems/${system.id}/provisioning?tasks=${encodeURIComponent(openTasks.nextCursor)}`}
              >
                {t("older")}
              </Link>
            ) : null}
            {doneTasks.length ? (
              <details className="mt-4">
                <summary className="cursor-pointer text-sm text-slate-700">{t("doneTitle")}</summary>
                <ul className="mt-2 space-y-1 text-sm text-slate-600">
                  {doneTasks.map((task) => (
                    <li key={task.id}>
                      {what(task)} · {t("doneBy")}: {task.doneBy ?? "—"} · {when(task.doneAt)} · {task.note}
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
          </Card>
        ) : null}

        {connector?.kind === "SCIM" || recon.lastRun ? (
          <Card title={t("reconTitle")}>
            <div className="flex flex-wrap items-start justify-between gap-4">
              <p className="text-sm text-slate-600">
                {recon.lastRun
                  ? t("lastRun", {
                      at: when(recon.lastRun.startedAt),
                      matched: recon.lastRun.counts.matched ?? 0,
                      portal: recon.lastRun.counts.portalAccounts ?? 0,
                      system: recon.lastRun.counts.systemAccounts ?? 0,
                    })
                  : t("neverReconciled")}
              </p>
              {manage && connector?.kind === "SCIM" ? <ReconcileButton systemId={system.id} /> : null}
            </div>
            {recon.findings.length ? (
              <Table caption={t("reconTitle")}>
                <thead>
                  <tr>
                    <Th>{t("difference")}</Th>
                    <Th>{t("account")}</Th>
                    <Th>{t("portalSide")}</Th>
                    <Th>{t("systemSide")}</Th>
                    {manage ? <Th>{t("action")}</Th> : null}
                  </tr>
                </thead>
                <tbody>
                  {recon.findings.map((f) => {
                    const d = f.details as {
                      portal?: { status?: string; roles?: string[] };
                      system?: { active?: boolean; roles?: string[] };
                    };
                    return (
                      <tr key={f.id} data-testid="reconciliation-finding">
                        <Td>
                          <Badge tone={f.kind === "ROLE_DRIFT" || f.kind === "OWNERLESS" ? "amber" : "red"}>{t(`kinds2.${f.kind}`)}</Badge>
                        </Td>
                        <Td className="text-xs">{f.loginName}</Td>
                        <Td className="text-xs">{d.portal ? `${d.portal.status} · ${(d.portal.roles ?? []).join(", ") || "—"}` : "—"}</Td>
                        <Td className="text-xs">
                          {d.system
                            ? `${d.system.active ? t("active") : t("inactive")} · ${(d.system.roles ?? []).join(", ") || "—"}`
                            : "—"}
                        </Td>
                        {manage ? (
                          <Td>
                            <RemediateForm systemId={system.id} findingId={f.id} canPush={f.hasAccount} />
                          </Td>
                        ) : null}
                      </tr>
                    );
                  })}
                </tbody>
              </Table>
            ) : recon.lastRun ? (
              <p className="mt-2 text-sm text-emerald-700">{t("inAgreement")}</p>
            ) : null}
          </Card>
        ) : null}

        <Card title={t("failedTitle", { n: failed.length })}>
          {failed.length === 0 ? (
            <p className="text-sm text-slate-600">{t("noFailed")}</p>
          ) : (
            <Table caption={t("failedTitle", { n: failed.length })}>
              <thead>
                <tr>
                  <Th>{t("queuedAt")}</Th>
                  <Th>{t("operation")}</Th>
                  <Th>{t("account")}</Th>
                  <Th>{t("attempts")}</Th>
                  <Th>{t("error")}</Th>
                  {manage ? <Th>{t("action")}</Th> : null}
                </tr>
              </thead>
              <tbody>
                {failed.map((f) => (
                  <tr key={f.id} data-testid="failed-delivery">
                    <Td className="text-xs">{when(f.createdAt)}</Td>
                    <Td className="text-xs">{f.operation}</Td>
                    <Td className="text-xs">{f.loginName ?? "—"}</Td>
                    <Td>{f.attempts}</Td>
                    <Td className="max-w-xs truncate text-xs" title={f.lastError ?? undefined}>
                      {f.lastError ?? "—"}
                    </Td>
                    {manage ? (
                      <Td>
                        <RequeueForm systemId={system.id} outboxId={f.id} />
                      </Td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>

        <Card title={t("attemptsTitle")}>
          {attempts.rows.length === 0 ? (
            <p className="text-sm text-slate-600">{t("noAttempts")}</p>
          ) : (
            <Table caption={t("attemptsTitle")}>
              <thead>
                <tr>
                  <Th>{t("at")}</Th>
                  <Th>{t("operation")}</Th>
                  <Th>{t("account")}</Th>
                  <Th>{t("attempt")}</Th>
                  <Th>{t("request")}</Th>
                  <Th>{t("outcome")}</Th>
                  <Th>{t("duration")}</Th>
                </tr>
              </thead>
              <tbody>
                {attempts.rows.map((a) => (
                  <tr key={a.id} data-testid="delivery-attempt">
                    <Td className="text-xs">{when(a.at)}</Td>
                    <Td className="text-xs">{a.operation}</Td>
                    <Td className="text-xs">{a.loginName ?? "—"}</Td>
                    <Td>{a.attempt}</Td>
                    <Td className="text-xs">
                      <code>{a.request}</code>
                    </Td>
                    <Td>
                      <Badge tone={a.outcome === "DEAD" ? "red" : a.outcome === "RETRY" ? "amber" : "green"}>
                        {t(`outcomes.${a.outcome}`)}
                      </Badge>
                      {a.error ? <span className="ml-2 text-xs text-slate-500">{a.error}</span> : null}
                    </Td>
                    <Td className="text-xs">{t("ms", { ms: a.durationMs })}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
          {attempts.nextCursor ? (
            <Link
              className="mt-3 inline-block text-sm text-brand-700 hover:underline"
              href={`/systems/${system.id}/provisioning?before=${encodeURIComponent(attempts.nextCursor)}`}
            >
              {t("older")}
            </Link>
          ) : null}
        </Card>
      </div>
    </>
  );
}
