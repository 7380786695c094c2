import Link from "next/link";
import { forbidden } from "next/navigation";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { listVaultRequests, listVaultScenarios } from "@/lib/vault/queries";
import { builtInDescriptionKey, isBuiltInScenario } from "@/lib/vault/built-in";
import { listSystemsForSelect } from "@/lib/portal-roles/queries";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { FilterField } from "@/components/ui/filter-field";
import { CreateScenarioForm, EditScenarioForm } from "@/components/vault/scenario-forms";
import { operationLabel } from "@/components/vault/operation-label";

const STATUSES = ["PENDING", "APPROVED", "REJECTED", "EXPIRED", "CONSUMED", "CANCELLED"] as const;
const tones = {
  PENDING: "amber",
  APPROVED: "green",
  CONSUMED: "green",
  REJECTED: "red",
  EXPIRED: "neutral",
  CANCELLED: "neutral",
} as const;

export async function generateMetadata() {
  const t = await getTranslations("vault.admin");
  return { title: t("title") };
}

/** Vault mode (R14): the scenarios (security officers change them) and the recent vault requests. */
export default async function VaultAdminPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  if (!can(actor, "vault-scenarios:read")) forbidden();
  const manage = can(actor, "vault-scenarios:manage");
  const raw = await searchParams;
  const status = STATUSES.find((s) => s === raw.status);
  const cursor = typeof raw.cursor === "string" ? raw.cursor : undefined;
  const [scenarios, requests, systems, t, tv, tr, format, locale] = await Promise.all([
    listVaultScenarios(),
    listVaultRequests({ status, cursor }),
    manage ? listSystemsForSelect() : Promise.resolve([]),
    getTranslations("vault.admin"),
    getTranslations("vault"),
    getTranslations("roles"),
    getFormatter(),
    getLocale(),
  ]);
  const en = locale === "en";
  const when = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: "medium", timeStyle: "short" }) : "—");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {!manage ? <p className="mb-4 text-sm text-slate-600">{t("readOnly")}</p> : null}
      <div className="grid gap-4 xl:grid-cols-3">
        <div className="space-y-4 xl:col-span-2">
          <Table caption={t("scenarios")}>
            <thead>
              <tr>
                <Th>{t("code")}</Th>
                <Th>{t("scenarios")}</Th>
                <Th>{t("system")}</Th>
                <Th>{t("approvers")}</Th>
                <Th>{t("validFor")}</Th>
                <Th>{t("active")}</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100" data-testid="vault-scenarios">
              {scenarios.map((s) => (
                <tr key={s.id} className="align-top">
                  <Td className="font-mono text-xs">
                    {s.code}
                    {isBuiltInScenario(s.code) ? (
                      <>
                        {" "}
                        <Badge tone="blue">{t("builtIn")}</Badge>
                      </>
                    ) : null}
                  </Td>
                  <Td>
                    <div>{en && s.nameEn ? s.nameEn : s.name}</div>
                    {(() => {
                      const key = builtInDescriptionKey(s.code, s.description);
                      const text = key ? t(`builtInDescriptions.${key}`) : s.description;
                      return text ? (
                        <div className="text-xs text-slate-500" data-testid="vault-scenario-description">
                          {text}
                        </div>
                      ) : null;
                    })()}
                    {manage ? (
                      <details className="mt-2">
                        <summary className="cursor-pointer text-xs text-brand-700">{t("edit")}</summary>
                        <div className="mt-2 max-w-md">
                          <EditScenarioForm
                            scenario={{
                              id: s.id,
                              code: s.code,
                              name: s.name,
                              nameEn: s.nameEn ?? "",
                              description: s.description ?? "",
                              approverRoles: s.approverRoles,
                              approverEmployeeNos: s.approvers.map((p) => p.employeeNo).join(" "),
                              validForSeconds: s.validForSeconds,
                              isActive: s.isActive,
                              builtIn: isBuiltInScenario(s.code),
                            }}
                          />
                        </div>
                      </details>
                    ) : null}
                  </Td>
                  <Td className="text-xs">{s.system ? s.system.code : t("portal")}</Td>
                  <Td className="text-xs">
                    {[...s.approverRoles.map((r) => tr(r)), ...s.approvers.map((p) => `${p.name} (${p.employeeNo})`)].join("、")}
                  </Td>
                  <Td className="text-xs">{t("validForValue", { seconds: s.validForSeconds })}</Td>
                  <Td>{s.isActive ? <Badge tone="green">{t("active")}</Badge> : <Badge>{t("inactive")}</Badge>}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
          <Card title={t("requests")}>
            <form className="mb-3 flex items-end gap-2" action="/admin/vault">
              <FilterField id="vault-status" label={tv("request.status")}>
                <select
                  id="vault-status"
                  name="status"
                  defaultValue={status ?? ""}
                  className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
                >
                  <option value="">{t("allStatuses")}</option>
                  {STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {tv(`statuses.${s}`)}
                    </option>
                  ))}
                </select>
              </FilterField>
              <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm">
                {t("filter")}
              </button>
            </form>
            {requests.rows.length === 0 ? (
              <p className="text-sm text-slate-600">{t("noRequests")}</p>
            ) : (
              <Table caption={t("requests")}>
                <thead>
                  <tr>
                    <Th>{t("when")}</Th>
                    <Th>{tv("request.operator")}</Th>
                    <Th>{tv("request.operation")}</Th>
                    <Th>{tv("request.target")}</Th>
                    <Th>{tv("request.approver")}</Th>
                    <Th>{tv("request.status")}</Th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100" data-testid="vault-requests">
                  {requests.rows.map((r) => (
                    <tr key={r.id}>
                      <Td className="text-xs">
                        <Link href={`/vault/${r.id}`} className="text-brand-700 hover:underline">
                          {when(r.createdAt)}
                        </Link>
                      </Td>
                      <Td className="text-xs">
                        {r.operator.name} ({r.operator.employeeNo})
                      </Td>
                      <Td className="text-xs">{operationLabel(tv as never, r.operation)}</Td>
                      <Td className="text-xs">{r.targetLabel ?? r.targetId}</Td>
                      <Td className="text-xs">
                        {r.approver.name} ({r.approver.employeeNo})
                      </Td>
                      <Td>
                        <Badge tone={tones[r.status]}>{tv(`statuses.${r.status}`)}</Badge>
                      </Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
            {requests.nextCursor ? (
              <Link
                href={`/admin/vault?${new URLSearchParams({ ...(status ? { status } : {}), cursor: requests.nextCursor })}`}
                className="mt-3 inline-block text-sm text-brand-700 hover:underline"
              >
                {t("next")}
              </Link>
            ) : null}
          </Card>
        </div>
        {manage ? (
          <Card title={t("create")}>
            <CreateScenarioForm systems={systems.map((s) => ({ id: s.id, label: `${s.code} · ${en && s.nameEn ? s.nameEn : s.name}` }))} />
          </Card>
        ) : null}
      </div>
    </>
  );
}
