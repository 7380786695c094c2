import Link from "next/link";
import { forbidden, notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { getReceipt, type ReceiptLine } from "@/lib/offboarding/queries";
import { formatCaseNumber } from "@/lib/offboarding/offboard-person";
import { Badge, Card, DescriptionList, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { LinkButton } from "@/components/ui/button";
import { CancelOffboardingForm } from "@/components/offboarding/offboarding-forms";
import { formatDuration } from "@/lib/offboarding/receipt-format";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TONE: Record<ReceiptLine["state"], "green" | "amber" | "red" | "neutral" | "blue"> = {
  NOT_TRACKED: "neutral",
  NOTHING_TO_SEND: "green",
  SENDING: "blue",
  CONFIRMED: "green",
  DEAD_LETTERED: "red",
  TASK_OPEN: "amber",
  TASK_DONE: "blue",
  VERIFIED: "green",
};

/** One case's receipt: the evidence that a departure reached zero access, in the portal and in every system. */
export default async function ReceiptPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  if (!can(actor, "offboarding:read")) forbidden();
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  const [r, t, format] = await Promise.all([getReceipt(id), getTranslations("offboarding"), getFormatter()]);
  if (!r) notFound();
  const when = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: "medium", timeStyle: "medium" }) : "—");
  const number = formatCaseNumber(r.number);
  const duration = (ms: number | null) => (ms === null ? t("receipt.notYet") : ms === 0 ? t("receipt.atOnce") : formatDuration(ms));
  const asked = (l: ReceiptLine) => {
    const parts = Object.entries(l.asked).map(([op, count]) => {
      const key = `receipt.ops.${op.replace(".", "-")}`;
      return t.has(key) ? t(key as "receipt.ops.grant-revoked", { count }) : `${op} ×${count}`;
    });
    return parts.length ? parts.join(", ") : t("receipt.nothingAsked");
  };
  return (
    <>
      <PageHeader
        title={t("receipt.title", { number, person: r.person.name })}
        description={t("receipt.description")}
        actions={
          <div className="flex gap-3">
            <LinkButton href={`/offboarding/${r.id}/export`} prefetch={false}>
              {t("receipt.export")}
            </LinkButton>
            <LinkButton href="/offboarding" variant="ghost">
              {t("receipt.back")}
            </LinkButton>
          </div>
        }
      />
      <div className="space-y-4">
        <div className="grid gap-4 lg:grid-cols-2">
          <Card title={t("receipt.summary")}>
            <DescriptionList
              items={[
                { label: t("person"), value: `${r.person.name} (${r.person.employeeNo}) · ${r.person.orgUnit}` },
                {
                  label: t("status"),
                  value: (
                    <Badge tone={r.status === "COMPLETED" ? "green" : r.status === "SCHEDULED" ? "amber" : "neutral"}>
                      {t(`statuses.${r.status}`)}
                    </Badge>
                  ),
                },
                { label: t("source"), value: t(`sources.${r.source}`) },
                ...(r.vendorName ? [{ label: t("receipt.vendor"), value: r.vendorName }] : []),
                { label: t("receipt.reason"), value: r.reason },
                { label: t("receipt.requestedBy"), value: r.requestedBy ?? "—" },
                { label: t("receipt.requestedAt"), value: when(r.requestedAt) },
                ...(r.lastWorkingDay
                  ? [
                      {
                        label: t("receipt.lastWorkingDay"),
                        value: format.dateTime(r.lastWorkingDay, { dateStyle: "medium", timeZone: "UTC" }),
                      },
                    ]
                  : []),
                { label: t("effective"), value: when(r.effectiveAt) },
                { label: t("executed"), value: when(r.executedAt) },
              ]}
            />
            {r.status === "SCHEDULED" ? (
              <p className="mt-3 text-sm text-amber-700">
                {r.lastError ? t("receipt.deferred", { error: r.lastError }) : t("receipt.waiting", { at: when(r.effectiveAt) })}
              </p>
            ) : null}
            {r.cancelledAt ? <p className="mt-3 text-sm text-slate-600">{t("receipt.cancelledAt", { at: when(r.cancelledAt) })}</p> : null}
          </Card>
          <Card title={t("receipt.portal")}>
            <DescriptionList
              items={[
                { label: t("receipt.timeToZero"), value: duration(r.portalMs) },
                { label: t("receipt.timeToConfirmed"), value: duration(r.allConfirmedMs) },
                ...(r.counts
                  ? (Object.entries(r.counts) as [keyof typeof r.counts, number][]).map(([k, n]) => ({
                      label: t(`receipt.counts.${k}`),
                      value: n,
                    }))
                  : []),
              ]}
            />
          </Card>
        </div>
        {r.status === "SCHEDULED" && can(actor, "people:manage") ? (
          <Card title={t("receipt.cancel")} className="max-w-xl">
            <CancelOffboardingForm caseId={r.id} />
          </Card>
        ) : null}
        <Card title={t("receipt.systems")}>
          {r.lines.length === 0 ? (
            <EmptyState title={t("receipt.noAccounts")} />
          ) : (
            <Table caption={t("receipt.systems")}>
              <thead>
                <tr>
                  <Th>{t("receipt.system")}</Th>
                  <Th>{t("receipt.account")}</Th>
                  <Th>{t("receipt.connector")}</Th>
                  <Th>{t("receipt.asked")}</Th>
                  <Th>{t("receipt.state")}</Th>
                  <Th>{t("receipt.when")}</Th>
                </tr>
              </thead>
              <tbody>
                {r.lines.map((l) => (
                  <tr key={`${l.systemId}:${l.loginName}`}>
                    <Td>
                      <Link className="text-brand-700 hover:underline" href={`/systems/${l.systemId}/provisioning`}>
                        {l.systemCode}
                      </Link>{" "}
                      <span className="text-xs text-slate-500">{l.systemName}</span>
                    </Td>
                    <Td>
                      <code className="text-xs">{l.loginName}</code>
                    </Td>
                    <Td>{t(`receipt.connectors.${l.connector ?? "NONE"}`)}</Td>
                    <Td>{asked(l)}</Td>
                    <Td>
                      <Badge tone={TONE[l.state]}>{t(`receipt.states.${l.state}`)}</Badge>
                      {l.attempts > 0 && l.connector === "SCIM" ? (
                        <span className="ml-2 text-xs text-slate-500">{t("receipt.attempts", { count: l.attempts })}</span>
                      ) : null}
                      {l.lastError && l.state !== "CONFIRMED" ? <p className="mt-1 text-xs text-red-600">{l.lastError}</p> : null}
                      {l.taskNote ? <p className="mt-1 text-xs text-slate-500">{l.taskNote}</p> : null}
                    </Td>
                    <Td>{when(l.confirmedAt ?? l.taskDoneAt ?? l.sentAt)}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>
      </div>
    </>
  );
}
