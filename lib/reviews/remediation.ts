import type { Tx } from "@/lib/db";
import { getDb } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * Where an applied review decision stands in the business system (issue 12 §6). An item counts as
 * REMEDIATED only when the system confirmed the change (SCIM: the outbox row delivered) or, for a
 * manual system, reconciliation verified the task; everything else is open remediation:
 *   NONE          nothing to remediate (kept, or not applied yet)
 *   SCHEDULED     shortened: the grant still runs until its new end
 *   NOT_TRACKED   the system is not connected: its administrators change it by hand and nothing confirms it
 *   SENDING       on its way to the system (outbox pending)
 *   DEAD_LETTERED delivery gave up: an administrator must act
 *   TASK_OPEN / TASK_DONE  a manual system's task, open or done by hand and not yet seen by reconciliation
 *   REMEDIATED    confirmed (SCIM) or verified (reconciliation); `at` is when
 *   NOTHING_TO_SEND the access had already ended elsewhere before the decision was applied
 */
export type RemediationState =
  "NONE" | "SCHEDULED" | "NOT_TRACKED" | "SENDING" | "DEAD_LETTERED" | "TASK_OPEN" | "TASK_DONE" | "REMEDIATED" | "NOTHING_TO_SEND";

export type Remediation = { state: RemediationState; at: Date | null };

export const OPEN_REMEDIATION: readonly RemediationState[] = ["NOT_TRACKED", "SENDING", "DEAD_LETTERED", "TASK_OPEN", "TASK_DONE"];

type Row = {
  id: string;
  apply_state: "NONE" | "PENDING" | "APPLIED";
  decision: string | null;
  apply_error: string | null;
  revoked: boolean;
  rows: number;
  delivered: number;
  failed: number;
  tasks: number;
  tasks_open: number;
  tasks_verified: number;
  confirmed_at: Date | null;
};

export function remediationOfRow(r: Row): Remediation {
  if (r.apply_state !== "APPLIED" || r.decision === "KEEP") return { state: "NONE", at: null };
  if (r.apply_error === "already-ended" || r.apply_error === "already-shorter") return { state: "NOTHING_TO_SEND", at: null };
  if (r.decision === "SHORTEN" && !r.revoked) return { state: "SCHEDULED", at: null };
  if (r.tasks > 0) {
    if (r.tasks_verified === r.tasks) return { state: "REMEDIATED", at: r.confirmed_at };
    return { state: r.tasks_open > 0 ? "TASK_OPEN" : "TASK_DONE", at: null };
  }
  if (r.rows === 0) return { state: "NOT_TRACKED", at: null };
  if (r.failed > 0) return { state: "DEAD_LETTERED", at: null };
  return r.delivered === r.rows ? { state: "REMEDIATED", at: r.confirmed_at } : { state: "SENDING", at: null };
}

/**
 * The remediation of these items (a page of an inbox, a campaign's evidence chunk), from the outbox
 * rows and manual tasks written for their grants (or, for account items, their account) since the
 * decision was applied. One query; bounded by the ids given.
 */
export async function remediationOf(itemIds: readonly string[], db: Tx | PrismaClient = getDb()): Promise<Map<string, Remediation>> {
  if (!itemIds.length) return new Map();
  const rows = await db.$queryRaw<Row[]>`
    SELECT i.id::text, i.apply_state::text, i.decision::text, i.apply_error,
           COALESCE(g.revoked_at IS NOT NULL, false) AS revoked,
           count(o.id)::int AS rows,
           count(o.id) FILTER (WHERE o.status = 'DELIVERED')::int AS delivered,
           count(o.id) FILTER (WHERE o.status = 'FAILED')::int AS failed,
           count(t.id)::int AS tasks,
           count(t.id) FILTER (WHERE t.status = 'OPEN')::int AS tasks_open,
           count(t.id) FILTER (WHERE t.status = 'VERIFIED')::int AS tasks_verified,
           GREATEST(max(o.delivered_at), max(t.verified_at)) AS confirmed_at
    FROM review_item i
    LEFT JOIN access_grant g ON g.id = i.grant_id
    -- A grant is revoked once, so its one grant.revoked row is the one; an account may have been disabled
    -- before, so only rows since the decision was applied count for account items.
    LEFT JOIN provisioning_outbox o ON i.apply_state = 'APPLIED' AND o.slave_account_id = i.slave_account_id
         AND ((i.grant_id IS NOT NULL AND o.grant_id = i.grant_id AND o.operation = 'grant.revoked')
           OR (i.grant_id IS NULL AND o.created_at >= i.applied_at AND o.operation IN ('slave-account.disabled', 'grant.revoked')))
    LEFT JOIN provisioning_task t ON t.outbox_id = o.id
    WHERE i.id = ANY(${[...itemIds]}::uuid[])
    GROUP BY i.id, g.revoked_at`;
  return new Map(rows.map((r) => [r.id, remediationOfRow(r)]));
}
