import Link from "next/link";
import { forbidden } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { listFindings, listPairCandidates, listSodRules } from "@/lib/policy/queries";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { DeactivateRuleForm, RecheckButton, RemediateForm, SodRuleForm } from "@/components/policy/policy-forms";

export async function generateMetadata() {
  const t = await getTranslations("policyAdmin");
  return { title: t("title") };
}

export default async function PolicyPage() {
  const actor = await requireActor();
  if (!can(actor, "policy:read")) forbidden();
  const manage = can(actor, "policy:manage");
  const [findings, rules, candidates, t, tp, format] = await Promise.all([
    listFindings(actor), listSodRules(), manage ? listPairCandidates() : Promise.resolve({ roles: [], permissions: [] }),
    getTranslations("policyAdmin"), getTranslations("policy"), getFormatter(),
  ]);
  const lastRun = findings[0]?.detectedAt;
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} actions={manage ? <RecheckButton /> : null} />
      <div className="space-y-4">
        <Card title={t("findings")}>
          {lastRun ? <p className="mb-2 text-xs text-slate-500">{t("lastRun", { when: format.dateTime(lastRun, { dateStyle: "medium", timeStyle: "short" }) })}</p> : null}
          {findings.length === 0 ? (
            <EmptyState title={t("noFindings")} hint={t("noFindingsHint")} />
          ) : (
            <Table caption={t("findings")}>
              <thead>
                <tr><Th>{t("person")}</Th><Th>{t("system")}</Th><Th>{t("rule")}</Th><Th>{t("explanation")}</Th><Th>{t("remediation")}</Th></tr>
              </thead>
              <tbody className="divide-y divide-slate-100" data-testid="findings">
                {findings.map((f) => (
                  <tr key={f.id}>
                    <Td>{f.person ? <Link href={`/people/${f.personId}`} className="text-brand-700 hover:underline">{f.person.name}</Link> : "—"} <span className="font-mono text-xs text-slate-500">{f.person?.employeeNo}</span></Td>
                    <Td className="font-mono text-xs">{f.system?.code}</Td>
                    <Td><Badge tone="red">{f.rule}</Badge></Td>
                    <Td className="max-w-xl text-xs">{tp.has(f.code) ? tp(f.code, f.params) : f.code}</Td>
                    <Td>{f.grantId && can(actor, "grants:manage", { systemId: f.systemId }) ? <RemediateForm grantId={f.grantId} /> : <span className="text-xs text-slate-500">{t("ownerActs")}</span>}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>
        <div className="grid gap-4 xl:grid-cols-3">
          <Card title={t("rules")} className="xl:col-span-2">
            <p className="mb-3 text-xs text-slate-600">{t("builtIn")}</p>
            {rules.length === 0 ? (
              <EmptyState title={t("noRules")} hint={manage ? t("noRulesHint") : undefined} />
            ) : (
              <Table caption={t("rules")}>
                <thead><tr><Th>{t("kind")}</Th><Th>{t("pair")}</Th><Th>{t("description")}</Th>{manage ? <Th>{t("deactivate")}</Th> : null}</tr></thead>
                <tbody className="divide-y divide-slate-100" data-testid="sod-rules">
                  {rules.map((r) => (
                    <tr key={r.id}>
                      <Td className="text-xs">{t(`kinds.${r.kind}`)}</Td>
                      <Td className="font-mono text-xs">{r.left} ⟷ {r.right}</Td>
                      <Td className="text-xs">{r.description}</Td>
                      {manage ? <Td><DeactivateRuleForm ruleId={r.id} /></Td> : null}
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
          </Card>
          {manage ? (
            <Card title={t("newRule")}>
              <SodRuleForm roles={candidates.roles} permissions={candidates.permissions} />
            </Card>
          ) : null}
        </div>
      </div>
    </>
  );
}
