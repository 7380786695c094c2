import type { Tx } from "@/lib/db";

export type DelegatedRow = { stageId: string; requestId: string; approverId: string; onBehalfOfId: string; delegationId: string };

/**
 * Puts delegates on their delegators' open stages (StageApprover source DELEGATED, acting on behalf of
 * the delegator), set-based, for the delegations in force at `now` (one delegation, or all of them),
 * on every stage the delegator has open. Idempotent: the scheduler runs it every round, so delegations
 * set up in advance take effect when they begin (stages that open later already get the delegate from
 * the request side, activeDelegatesFor). Never where the delegate is the request's requester or
 * subject (self-approval), is no longer active, has already decided another stage of the same request
 * (one person, one say per request), or is already on the stage; never a row that is itself delegated
 * (no chains). The delegator's own row stays open.
 */
export async function addDelegatesToOpenStages(tx: Tx, now: Date, delegationId: string | null = null): Promise<DelegatedRow[]> {
  const rows = await tx.$queryRaw<
    { stage_id: string; request_id: string; approver_id: string; on_behalf_of_id: string; delegation_id: string }[]
  >`
    INSERT INTO stage_approver (id, stage_id, request_id, approver_id, on_behalf_of_id, delegation_id, source, is_open, request_created_at, created_at)
    SELECT gen_random_uuid(), sa.stage_id, sa.request_id, d.delegate_id, sa.approver_id, d.id, 'DELEGATED', true, sa.request_created_at, ${now}
    FROM approval_delegation d
    JOIN stage_approver sa ON sa.approver_id = d.delegator_id AND sa.is_open AND sa.source <> 'DELEGATED'
    -- Who may approve anything at all (as lib/requests/approvers.ts eligiblePeople): the delegate may
    -- have left or been disabled since the delegation was set up.
    JOIN person dp ON dp.id = d.delegate_id AND dp.status = 'ACTIVE'
    JOIN master_account da ON da.person_id = dp.id AND da.status <> 'DISABLED'
    JOIN request_stage s ON s.id = sa.stage_id AND s.status = 'ACTIVE'
    JOIN access_request r ON r.id = sa.request_id AND r.status = 'PENDING'
    WHERE d.revoked_at IS NULL AND d.starts_at <= ${now} AND d.ends_at > ${now}
      AND (${delegationId}::uuid IS NULL OR d.id = ${delegationId}::uuid)
      AND r.requester_id <> d.delegate_id AND r.subject_id <> d.delegate_id
      AND NOT EXISTS (SELECT 1 FROM approval_decision ad WHERE ad.request_id = sa.request_id AND ad.approver_id = d.delegate_id)
    ORDER BY sa.request_created_at
    ON CONFLICT (stage_id, approver_id) DO NOTHING
    RETURNING stage_id, request_id, approver_id, on_behalf_of_id, delegation_id`;
  return rows.map((r) => ({
    stageId: r.stage_id,
    requestId: r.request_id,
    approverId: r.approver_id,
    onBehalfOfId: r.on_behalf_of_id,
    delegationId: r.delegation_id,
  }));
}

/** Closes a delegation's still-open rows (revoked or ended): the items leave the delegate's inbox. */
export async function closeDelegatedRows(tx: Tx, delegationId: string, delegateId: string): Promise<number> {
  // approver_id first: the inbox index (approver_id, is_open, …) finds the rows.
  return tx.$executeRaw`
    UPDATE stage_approver SET is_open = false
    WHERE approver_id = ${delegateId}::uuid AND is_open AND delegation_id = ${delegationId}::uuid`;
}
