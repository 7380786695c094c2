import { forbidden, notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { getApprovalChain } from "@/lib/requests/queries";
import { MAX_STAGES } from "@/lib/requests/schemas";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/button";
import { ChainForm, type ChainRow } from "@/components/requests/chain-form";

export async function generateMetadata() {
  const t = await getTranslations("requests.chain");
  return { title: t("title") };
}

export default async function ApprovalChainPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  const { id } = await params;
  const chain = await getApprovalChain(actor, id);
  if (chain === null) notFound();
  if (chain === "forbidden") forbidden();
  const [t, tStages, tRules, format] = await Promise.all([
    getTranslations("requests.chain"),
    getTranslations("requests.stages"),
    getTranslations("requests.rules"),
    getFormatter(),
  ]);
  const rows = (stages: typeof chain.definition.standard): ChainRow[] =>
    stages.map((s) => ({
      kind: s.kind,
      rule: s.rule,
      requiredCount: s.requiredCount,
      named: (s.namedApproverIds ?? [])
        .map((p) => chain.people[p]?.employeeNo ?? "")
        .filter(Boolean)
        .join(", "),
    }));
  const describe = (stages: typeof chain.definition.standard) =>
    stages.map((s, i) => (
      <li key={i}>
        {tStages(s.kind)} <span className="text-xs text-slate-500">{tRules(s.rule, { count: s.requiredCount ?? 1 })}</span>
        {s.namedApproverIds?.length ? (
          <span className="block text-xs text-slate-600">
            {s.namedApproverIds.map((p) => (chain.people[p] ? `${chain.people[p]!.name} (${chain.people[p]!.employeeNo})` : p)).join(", ")}
          </span>
        ) : null}
      </li>
    ));
  return (
    <>
      <PageHeader
        title={t("title")}
        description={`${chain.system.name} · ${t("description")}`}
        actions={<LinkButton href={`/systems/${chain.system.id}`}>{t("backToSystem")}</LinkButton>}
      />
      <div className="grid gap-4 lg:grid-cols-3">
        <Card title={t("current")} actions={chain.isDefault ? <Badge>{t("default")}</Badge> : <Badge tone="blue">{t("custom")}</Badge>}>
          <div className="space-y-3 text-sm" data-testid="chain-current">
            <div>
              <p className="text-xs font-medium text-slate-600">{t("standard")}</p>
              <ol className="list-decimal pl-5">{describe(chain.definition.standard)}</ol>
            </div>
            <div>
              <p className="text-xs font-medium text-slate-600">{t("sensitive")}</p>
              <ol className="list-decimal pl-5">{describe(chain.definition.sensitive)}</ol>
            </div>
            <p className="text-xs text-slate-500">{t("elevationFixed")}</p>
            {chain.updatedAt ? (
              <p className="text-xs text-slate-500">
                {t("updatedAt", { when: format.dateTime(chain.updatedAt, { dateStyle: "medium", timeStyle: "short" }) })}
              </p>
            ) : null}
          </div>
        </Card>
        {chain.canManage ? (
          <Card title={t("formTitle")} className="lg:col-span-2">
            <ChainForm
              systemId={chain.system.id}
              standard={rows(chain.definition.standard)}
              sensitive={rows(chain.definition.sensitive)}
              max={MAX_STAGES}
            />
          </Card>
        ) : (
          <Card className="lg:col-span-2">
            <p className="text-sm text-slate-600">{t("readOnly")}</p>
          </Card>
        )}
      </div>
    </>
  );
}
