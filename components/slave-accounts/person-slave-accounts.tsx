import { getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { allowedSlaveAccountChanges } from "@/lib/slave-accounts/change-slave-account-status";
import type { SlaveAccountStatus } from "@/lib/slave-accounts/schemas";
import { SlaveAccountActionForm } from "./slave-account-forms";

export type PersonSlaveAccountRow = {
  id: string;
  loginName: string;
  status: string;
  system: { id: string; code: string };
  liveGrants: number;
  // Whether the viewer administers this account's system (grants:manage).
  manageable: boolean;
};

const TONE = { ACTIVE: "green", LOCKED: "amber", DISABLED: "red", DELETED: "neutral" } as const;

/** A person's slave accounts (one per system, R2) with their status and, for their systems' administrators, the lifecycle actions. */
export async function PersonSlaveAccounts({ personId, accounts }: { personId: string; accounts: PersonSlaveAccountRow[] }) {
  const [t, tc] = await Promise.all([getTranslations("lifecycle.accounts"), getTranslations("catalog")]);
  if (accounts.length === 0) return <p className="text-sm text-slate-600">{t("none")}</p>;
  return (
    <Table caption={t("title")}>
      <thead>
        <tr>
          <Th>{t("system")}</Th>
          <Th>{t("loginName")}</Th>
          <Th>{t("status")}</Th>
          <Th>{t("liveGrants")}</Th>
          <Th>{t("actions")}</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100" data-testid="slave-accounts">
        {accounts.map((a) => (
          <tr key={a.id} className={a.status === "DELETED" ? "text-slate-400" : ""}>
            <Td className="font-mono text-xs">{a.system.code}</Td>
            <Td className="font-mono text-xs">{a.loginName}</Td>
            <Td className="text-xs">
              <Badge tone={TONE[a.status as keyof typeof TONE] ?? "neutral"}>{tc(`slaveStatuses.${a.status as "ACTIVE"}`)}</Badge>
            </Td>
            <Td className="text-xs">{a.liveGrants}</Td>
            <Td>
              {a.manageable ? (
                <SlaveAccountActionForm
                  slaveAccountId={a.id}
                  status={a.status}
                  ops={allowedSlaveAccountChanges(a.status as SlaveAccountStatus)}
                  systemId={a.system.id}
                  personId={personId}
                  label={`${a.system.code} · ${a.loginName}`}
                />
              ) : null}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
