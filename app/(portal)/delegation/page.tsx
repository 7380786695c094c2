import Link from "next/link";
import { getFormatter, getTimeZone, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { listCurrentDelegations, listDelegationsFor, mayDelegate as loadMayDelegate, type DelegationState } from "@/lib/delegation/queries";
import { MAX_DELEGATION_DAYS } from "@/lib/delegation/rules";
import { dayIn } from "@/lib/time/calendar";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { LinkButton } from "@/components/ui/button";
import { CreateDelegationForm, RevokeDelegationForm } from "@/components/delegation/delegation-forms";
import { FormNotice } from "@/components/ui/field";

export async function generateMetadata() {
  const t = await getTranslations("delegation");
  return { title: t("title") };
}

const STATE_TONE: Record<DelegationState, "green" | "blue" | "neutral" | "red"> = {
  active: "green",
  upcoming: "blue",
  ended: "neutral",
  revoked: "red",
};

type Row = {
  id: string;
  startsAt: Date;
  endsAt: Date;
  reason: string | null;
  state: DelegationState;
  openItems: number;
  delegator: { id: string; name: string; employeeNo: string };
  delegate: { id: string; name: string; employeeNo: string };
};

export default async function DelegationPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  const params = await searchParams;
  const cursor = typeof params.cursor === "string" ? params.cursor : undefined;
  const revokedNotice = typeof params.revoked === "string" && /^\d{1,6}$/.test(params.revoked) ? Number(params.revoked) : null;
  const manageAll = can(actor, "delegations:manage");
  const [mine, mayDelegate, all, t, format, timeZone] = await Promise.all([
    listDelegationsFor(actor.personId),
    loadMayDelegate(actor.personId),
    manageAll ? listCurrentDelegations({ cursor }) : Promise.resolve(null),
    getTranslations("delegation"),
    getFormatter(),
    getTimeZone(),
  ]);
  const day = (d: Date) => format.dateTime(d, { dateStyle: "medium" });
  // ends_at is the midnight after the last day.
  const period = (r: Row) => t("period", { from: day(r.startsAt), to: day(new Date(r.endsAt.getTime() - 1)) });
  const person = (p: Row["delegate"]) => `${p.name} (${p.employeeNo})`;
  const state = (r: Row) => <Badge tone={STATE_TONE[r.state]}>{t(`state.${r.state}`)}</Badge>;
  const revocable = (r: Row) => r.state === "active" || r.state === "upcoming";

  const table = (rows: Row[], who: "delegate" | "delegator", canRevoke: boolean, testId: string) => (
    <Table caption={t(who === "delegate" ? "given" : "received")}>
      <thead>
        <tr>
          {who === "delegator" || manageAll ? <Th>{t("delegatorColumn")}</Th> : null}
          {who === "delegate" || manageAll ? <Th>{t("delegateColumn")}</Th> : null}
          <Th>{t("periodColumn")}</Th>
          <Th>{t("stateColumn")}</Th>
          <Th>{t("openItems")}</Th>
          <Th>{t("reason")}</Th>
          {canRevoke ? <Th>{t("revoke")}</Th> : null}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100" data-testid={testId}>
        {rows.map((r) => (
          <tr key={r.id}>
            {who === "delegator" || manageAll ? <Td>{person(r.delegator)}</Td> : null}
            {who === "delegate" || manageAll ? <Td>{person(r.delegate)}</Td> : null}
            <Td className="text-xs whitespace-nowrap">{period(r)}</Td>
            <Td>{state(r)}</Td>
            <Td className="text-xs">
              {who === "delegator" && r.openItems > 0 && r.state === "active" ? (
                <Link href="/approvals" className="text-brand-700 hover:underline">
                  {t("openItemsCount", { count: r.openItems })}
                </Link>
              ) : (
                t("openItemsCount", { count: r.openItems })
              )}
            </Td>
            <Td className="text-xs">{r.reason ?? "—"}</Td>
            {canRevoke ? <Td>{revocable(r) ? <RevokeDelegationForm delegationId={r.id} label={person(r.delegate)} /> : null}</Td> : null}
          </tr>
        ))}
      </tbody>
    </Table>
  );

  return (
    <>
      <PageHeader title={t("title")} description={t("description", { max: MAX_DELEGATION_DAYS })} />
      {revokedNotice !== null ? (
        <div className="mb-4">
          <FormNotice message={t("revoked", { count: revokedNotice })} />
        </div>
      ) : null}
      <div className="grid gap-4 xl:grid-cols-3">
        <div className="space-y-4 xl:col-span-2">
          <Card title={t("given")}>
            {mine.given.length ? (
              table(mine.given, "delegate", true, "delegations-given")
            ) : (
              <p className="text-sm text-slate-500">{t("noneGiven")}</p>
            )}
          </Card>
          <Card title={t("received")}>
            {mine.received.length ? (
              table(mine.received, "delegator", false, "delegations-received")
            ) : (
              <p className="text-sm text-slate-500">{t("noneReceived")}</p>
            )}
          </Card>
          {all ? (
            <Card title={t("allCurrent")}>
              {all.rows.length ? (
                table(all.rows, "delegate", true, "delegations-all")
              ) : (
                <p className="text-sm text-slate-500">{t("noneCurrent")}</p>
              )}
              <div className="mt-3 flex justify-end gap-2">
                {cursor ? <LinkButton href="/delegation">{t("firstPage")}</LinkButton> : null}
                {all.nextCursor ? (
                  <LinkButton href={`/delegation?cursor=${encodeURIComponent(all.nextCursor)}`}>{t("nextPage")}</LinkButton>
                ) : null}
              </div>
            </Card>
          ) : null}
        </div>
        <Card title={t("formTitle")}>
          {mayDelegate || manageAll ? (
            <CreateDelegationForm forOthers={manageAll} today={dayIn(new Date(), timeZone)} maxDays={MAX_DELEGATION_DAYS} />
          ) : (
            <EmptyState title={t("notApprover")} hint={t("notApproverHint")} />
          )}
        </Card>
      </div>
    </>
  );
}
