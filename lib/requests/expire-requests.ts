import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { notify } from "@/lib/notifications/notify";
import { formatRequestNumber } from "./workflow";

/**
 * Undecided requests expire (issue 4 item 4): every PENDING request past its expires_at becomes
 * EXPIRED, set-based, in batches — its waiting and active stages EXPIRED, its approvers' open items
 * closed (they leave every inbox), the requester and the subject told, one audit row per batch naming
 * the requests. SKIP LOCKED: a request being decided right now is left for the next round (and a
 * decision on a request that has just expired is refused by decideRequest as REQUEST_CLOSED).
 */
export async function expireRequests(tx: Tx, actor: Actor, now = new Date(), batchSize = 500): Promise<number> {
  const expired = await tx.$queryRaw<
    {
      id: string;
      number: number;
      requester_id: string;
      subject_id: string;
      system: string;
      role: string | null;
      subject: string;
      requester: string;
    }[]
  >`
    WITH due AS (
      UPDATE access_request SET status = 'EXPIRED', decided_at = ${now}, closing_note = 'expired', updated_at = ${now}
      WHERE id IN (
        SELECT id FROM access_request
        WHERE status = 'PENDING' AND expires_at <= ${now}
        ORDER BY expires_at LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED)
      RETURNING id, number, requester_id, subject_id, system_id, role_id)
    SELECT due.id::text AS id, due.number, due.requester_id::text AS requester_id, due.subject_id::text AS subject_id,
           sys.name AS system, jr.name AS role, subj.name AS subject, req.name AS requester
    FROM due
    JOIN business_system sys ON sys.id = due.system_id
    LEFT JOIN job_role jr ON jr.id = due.role_id
    JOIN person subj ON subj.id = due.subject_id
    JOIN person req ON req.id = due.requester_id
    ORDER BY due.number`;
  if (!expired.length) return 0;
  const ids = expired.map((r) => r.id);
  await tx.$executeRaw`UPDATE request_stage SET status = 'EXPIRED', decided_at = ${now} WHERE request_id = ANY(${ids}::uuid[]) AND status IN ('WAITING', 'ACTIVE')`;
  const closed = await tx.$executeRaw`UPDATE stage_approver SET is_open = false WHERE request_id = ANY(${ids}::uuid[]) AND is_open`;
  for (const r of expired) {
    await notify(tx, {
      recipientIds: [r.requester_id, r.subject_id],
      kind: "request-expired",
      params: { number: formatRequestNumber(r.number), role: r.role ?? "", system: r.system, subject: r.subject, requester: r.requester },
      link: `/requests/${r.id}`,
    });
  }
  await recordAuditEvent(tx, actor, {
    action: "request.expired",
    target: { type: "request", id: expired.length === 1 ? expired[0]!.id : null },
    summary: {
      count: expired.length,
      requestIds: ids,
      numbers: expired.map((r) => formatRequestNumber(r.number)),
      closedItems: closed,
      after: { status: "EXPIRED" },
    },
    reason: "no decision before the request's expiry",
  });
  return expired.length;
}
