import type { Tx } from "@/lib/db";

export type ActiveDelegate = { delegatorId: string; delegateId: string; delegationId: string };

/**
 * The delegations in force at `now` for these approvers (out of office): who decides for them. Used when
 * a stage's approvers are resolved; the caller still refuses a delegate who is the requester or the
 * subject, or who would break separation of duties.
 */
export async function activeDelegatesFor(tx: Tx, approverIds: readonly string[], now = new Date()): Promise<ActiveDelegate[]> {
  if (!approverIds.length) return [];
  const rows = await tx.approvalDelegation.findMany({
    where: { delegatorId: { in: [...approverIds] }, revokedAt: null, startsAt: { lte: now }, endsAt: { gt: now } },
    select: { id: true, delegatorId: true, delegateId: true },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((r) => ({ delegatorId: r.delegatorId, delegateId: r.delegateId, delegationId: r.id }));
}
