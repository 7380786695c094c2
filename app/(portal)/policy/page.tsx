import Link from "next/link";
import { forbidden } from "next/navigation";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { FindingFilter, listFindings, listPairSystems, listSodRules, POLICY_RULES } from "@/lib/policy/queries";
import { systemOption } from "@/lib/systems/queries";
import { Combobox } from "@/components/ui/combobox";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { LinkButton, buttonClass } from "@/components/ui/button";
import { FilterField, filterControl } from "@/components/ui/filter-field";
import { Table, Td, Th } from "@/components/ui/table";
import { DeactivateRuleForm, RecheckButton, RemediateForm, SodRuleForm } from "@/components/policy/policy-forms";

export async function generateMetadata() {
  const t = await getTranslations("policyAdmin");
  return { title: t("title") };
}

export default async function PolicyPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  if (!can(actor, "policy:read")) forbidden();
  const manage = can(actor, "policy:manage");
  const params = await searchParams;
  const filter = FindingFilter.parse(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])));
  const [page, rules, system, pairSystems, t, tp, format, locale] = await Promise.all([
    listFindings(actor, filter),
    listSodRules(),
    systemOption(actor, filter.system),
    manage ? listPairSystems() : Promise.resolve([]),
    getTranslations("policyAdmin"),
    getTranslations("policy"),
    getFormatter(),
    getLocale(),
  ]);
  const en = locale === "en";
  const findings = page.rows;
  const lastRun = page.lastCheckedAt;
  const filtered = Boolean(filter.system || filter.rule || filter.person);
  const query = (extra: Record<string, string>) =>
    new URLSearchParams(
      Object.entries({ system: filter.system ?? "", rule: filter.rule ?? "", person: filter.person ?? "", ...extra }).filter(
        ([, v]) => v,
      ) as [string, string][],
    );
  return (
    <>
      <PageHeader title={t("title")} description={t("intro")} actions={manage ? <RecheckButton /> : null} />
      <div className="space-y-4">
        <Card title={t("findings")}>
          {lastRun ? (
            <p className="mb-2 text-xs text-slate-500">
              {t("lastRun", { when: format.dateTime(lastRun, { dateStyle: "medium", timeStyle: "short" }) })}
            </p>
          ) : null}
          <form method="get" className="mb-3 flex flex-wrap items-end gap-3" role="search" aria-label={t("filterFindings")}>
            <FilterField id="finding-system" label={t("system")}>
              <Combobox
                id="finding-system"
                name="system"
                source="/lookup/systems"
                initial={system}
                placeholder={t("allSystems")}
                className={`${filterControl} w-40`}
              />
            </FilterField>
            <FilterField id="finding-rule" label={t("rule")}>
              <select id="finding-rule" name="rule" defaultValue={filter.rule ?? ""} className={filterControl}>
                <option value="">{t("allRules")}</option>
                {POLICY_RULES.map((r) => (
                  <option key={r} value={r}>
                    {t(`ruleNames.${r}`)}
                  </option>
                ))}
              </select>
            </FilterField>
            <FilterField id="finding-person" label={t("person")}>
              <input
                id="finding-person"
                name="person"
                defaultValue={filter.person}
                maxLength={100}
                placeholder={t("personPlaceholder")}
                className={`${filterControl} w-56`}
              />
            </FilterField>
            <button type="submit" className={buttonClass("secondary")}>
              {t("apply")}
            </button>
            {filtered ? <LinkButton href="/policy">{t("clearFilters")}</LinkButton> : null}
          </form>
          {findings.length === 0 ? (
            filtered || filter.cursor ? (
              <EmptyState title={t("noMatches")} />
            ) : (
              <EmptyState title={t("noFindings")} hint={t("noFindingsHint")} />
            )
          ) : (
            <Table caption={t("findings")}>
              <thead>
                <tr>
                  <Th>{t("person")}</Th>
                  <Th>{t("system")}</Th>
                  <Th>{t("rule")}</Th>
                  <Th>{t("explanation")}</Th>
                  <Th>{t("remediation")}</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100" data-testid="findings">
                {findings.map((f) => (
                  <tr key={f.id}>
                    <Td>
                      {f.person ? (
                        <Link href={`/people/${f.personId}`} className="text-brand-700 hover:underline">
                          {f.person.name}
                        </Link>
                      ) : (
                        "—"
                      )}{" "}
                      <span className="font-mono text-xs text-slate-500">{f.person?.employeeNo}</span>
                    </Td>
                    <Td className="font-mono text-xs">{f.system?.code}</Td>
                    <Td>
                      <Badge tone="red">{f.rule}</Badge>
                    </Td>
                    <Td className="max-w-xl text-xs">
                      {tp.has(f.code) ? tp(f.code, { description: t("pairRuleFallback"), ...f.params }) : f.code}
                    </Td>
                    <Td>
                      {f.grantId && can(actor, "grants:manage", { systemId: f.systemId }) ? (
                        <RemediateForm grantId={f.grantId} />
                      ) : (
                        <span className="text-xs text-slate-500">{t("ownerActs")}</span>
                      )}
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
          <div className="mt-4 flex justify-end gap-2">
            {filter.cursor ? <LinkButton href={`/policy?${query({})}`}>{t("firstPage")}</LinkButton> : null}
            {page.nextCursor ? <LinkButton href={`/policy?${query({ cursor: page.nextCursor })}`}>{t("nextPage")}</LinkButton> : null}
          </div>
        </Card>
        <div className="grid gap-4 xl:grid-cols-3">
          <Card title={t("rules")} className="xl:col-span-2">
            <p className="mb-3 text-xs text-slate-600">{t("builtIn")}</p>
            {rules.length === 0 ? (
              <EmptyState title={t("noRules")} hint={manage ? t("noRulesHint") : undefined} />
            ) : (
              <Table caption={t("rules")}>
                <thead>
                  <tr>
                    <Th>{t("kind")}</Th>
                    <Th>{t("pair")}</Th>
                    <Th>{t("description")}</Th>
                    {manage ? <Th>{t("deactivate")}</Th> : null}
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100" data-testid="sod-rules">
                  {rules.map((r) => (
                    <tr key={r.id}>
                      <Td className="text-xs">{t(`kinds.${r.kind}`)}</Td>
                      <Td className="font-mono text-xs">
                        {r.left} ⟷ {r.right}
                      </Td>
                      <Td className="text-xs">{r.description}</Td>
                      {manage ? (
                        <Td>
                          <DeactivateRuleForm ruleId={r.id} />
                        </Td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
          </Card>
          {manage ? (
            <Card title={t("newRule")}>
              <SodRuleForm systems={pairSystems.map((s) => ({ id: s.id, label: `${s.code} · ${en && s.nameEn ? s.nameEn : s.name}` }))} />
            </Card>
          ) : null}
        </div>
      </div>
    </>
  );
}
