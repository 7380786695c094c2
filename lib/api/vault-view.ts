import { getDb, type Tx } from "@/lib/db";
import { effectiveStatus } from "@/lib/vault/queries";
import type { VaultRequestView } from "./vault-schemas";

type Db = Tx | ReturnType<typeof getDb>;
const iso = (d: Date | null) => d?.toISOString() ?? null;
const personSelect = { select: { employeeNo: true, name: true } } as const;

/** The business system whose scenario a vault request is for (null: a portal scenario or no such request). */
export async function vaultRequestScope(db: Db, id: string): Promise<{ systemId: string | null } | null> {
  const r = await db.vaultRequest.findUnique({ where: { id }, select: { scenario: { select: { systemId: true } } } });
  return r ? { systemId: r.scenario.systemId } : null;
}

export async function loadVaultRequestView(db: Db, id: string, now = new Date()): Promise<VaultRequestView | null> {
  const r = await db.vaultRequest.findUnique({
    where: { id },
    select: {
      id: true,
      status: true,
      operation: true,
      targetType: true,
      targetId: true,
      targetLabel: true,
      decisionComment: true,
      createdAt: true,
      expiresAt: true,
      decidedAt: true,
      validUntil: true,
      scenario: { select: { code: true, name: true } },
      operator: personSelect,
      approver: personSelect,
    },
  });
  if (!r) return null;
  return {
    id: r.id,
    status: effectiveStatus(r, now),
    scenario: r.scenario,
    operation: r.operation,
    targetType: r.targetType,
    targetId: r.targetId,
    targetLabel: r.targetLabel,
    operator: r.operator,
    approver: r.approver,
    decisionComment: r.decisionComment,
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
    decidedAt: iso(r.decidedAt),
    validUntil: iso(r.validUntil),
  };
}
