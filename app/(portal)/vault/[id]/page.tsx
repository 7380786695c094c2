import { notFound } from "next/navigation";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { getVaultRequestView } from "@/lib/vault/queries";
import { Badge, Card, DescriptionList, PageHeader } from "@/components/ui/card";
import { VaultDecideButtons } from "@/components/vault/vault-decide-buttons";
import { operationLabel } from "@/components/vault/operation-label";

const tones = {
  PENDING: "amber",
  APPROVED: "green",
  CONSUMED: "green",
  REJECTED: "red",
  EXPIRED: "neutral",
  CANCELLED: "neutral",
} as const;

/** One vault request, for its operator, its approver, or an officer (where a notification leads). */
export default async function VaultRequestPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  const { id } = await params;
  const v = await getVaultRequestView(actor, id);
  if (!v) notFound();
  const [t, tv, format, locale] = await Promise.all([
    getTranslations("vault.request"),
    getTranslations("vault"),
    getFormatter(),
    getLocale(),
  ]);
  const when = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: "medium", timeStyle: "medium" }) : "—");
  return (
    <>
      <PageHeader title={t("title")} description={locale === "en" && v.scenario.nameEn ? v.scenario.nameEn : v.scenario.name} />
      <Card>
        <DescriptionList
          items={[
            {
              label: t("status"),
              value: (
                <span data-testid="vault-status">
                  <Badge tone={tones[v.status]}>{tv(`statuses.${v.status}`)}</Badge>
                </span>
              ),
            },
            { label: t("operation"), value: operationLabel(tv as never, v.operation) },
            { label: t("target"), value: v.targetLabel ?? v.targetId },
            { label: t("operator"), value: `${v.operator.name} (${v.operator.employeeNo})` },
            { label: t("approver"), value: `${v.approver.name} (${v.approver.employeeNo})` },
            { label: t("reason"), value: v.reason },
            { label: t("createdAt"), value: when(v.createdAt) },
            { label: t("expiresAt"), value: when(v.expiresAt) },
            { label: t("decidedAt"), value: when(v.decidedAt) },
            { label: t("comment"), value: v.decisionComment ?? "—" },
            { label: t("validUntil"), value: when(v.validUntil) },
            { label: t("consumedAt"), value: when(v.consumedAt) },
          ]}
        />
        {v.role === "approver" && v.status === "PENDING" ? <VaultDecideButtons vaultRequestId={v.id} /> : null}
      </Card>
    </>
  );
}
