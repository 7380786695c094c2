import { z } from "zod";
import { getDb, inTransaction, type Tx } from "@/lib/db";
import { systemActor, type Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { notify } from "@/lib/notifications/notify";
import { systemAccountAdmins } from "./deliver";
import { requiredText, text } from "@/lib/validation";
import { decodeCursor, encodeCursor, type Page } from "@/lib/http/cursor";

// Systems without an automatic connector (connector kind MANUAL): each outbox row becomes a task for the
// system's account administrators, set-based, in one transaction with its audit row and their notice.
// The outbox row is then "delivered" (to a person); the task is OPEN until an administrator marks it
// DONE with a note, and VERIFIED once reconciliation sees the change in the system.

const WORKER: Actor = systemActor("provisioning worker");
const BATCH = 5000;

export async function openManualTasks(now: Date): Promise<number> {
  return inTransaction(async (tx) => {
    const opened = await tx.$queryRaw<{ system_id: string; n: bigint }[]>`
      WITH due AS (
        SELECT o.id, o.system_id, o.slave_account_id, o.operation, o.payload
        FROM provisioning_outbox o JOIN system_connector c ON c.system_id = o.system_id AND c.kind = 'MANUAL'
        WHERE o.status = 'PENDING' AND o.next_attempt_at <= ${now}
        ORDER BY o.id LIMIT ${BATCH}
        FOR UPDATE OF o SKIP LOCKED),
      tasks AS (
        INSERT INTO provisioning_task (id, outbox_id, system_id, slave_account_id, operation, details, created_at)
        -- The task takes its outbox row's id (time-ordered), so tasks list in the order the changes were made.
        SELECT d.id, d.id, d.system_id, d.slave_account_id, d.operation,
               jsonb_strip_nulls(jsonb_build_object(
                 'loginName', COALESCE(sa.login_name, d.payload->>'loginName'),
                 'roleCode', COALESCE(d.payload->>'roleCode', r.code),
                 'after', d.payload->>'after')),
               ${now}
        FROM due d
        LEFT JOIN slave_account sa ON sa.id = d.slave_account_id
        LEFT JOIN access_grant g ON g.id = (d.payload->>'grantId')::uuid
        LEFT JOIN job_role r ON r.id = g.role_id
        ON CONFLICT (outbox_id) DO NOTHING
        RETURNING outbox_id),
      done AS (
        UPDATE provisioning_outbox o SET status = 'DELIVERED', delivered_at = ${now}, attempts = o.attempts + 1
        FROM due d WHERE o.id = d.id
        RETURNING o.system_id)
      SELECT system_id::text AS system_id, count(*) AS n FROM done GROUP BY system_id`;
    for (const { system_id, n } of opened) {
      await recordAuditEvent(tx, WORKER, {
        action: "provisioning.tasks-opened",
        target: { type: "system", id: system_id },
        summary: { count: Number(n) },
      });
      const admins = await systemAccountAdmins(tx, system_id);
      if (admins.personIds.length) {
        await notify(tx, {
          recipientIds: admins.personIds,
          kind: "provisioning-tasks-opened",
          params: { system: admins.code ?? "", count: Number(n) },
          link: `/systems/${system_id}/provisioning`,
        });
      }
    }
    return opened.reduce((sum, r) => sum + Number(r.n), 0);
  });
}

export const CompleteTaskInput = z.object({ taskId: text().uuid("invalid"), note: requiredText(1000) });

/** An administrator did the change by hand. Compare-and-set on OPEN: the second of two clicks is a CONFLICT. */
export async function completeManualTask(tx: Tx, actor: Actor, raw: z.input<typeof CompleteTaskInput>, now = new Date()) {
  const input = CompleteTaskInput.parse(raw);
  const task = await tx.provisioningTask.findUnique({
    where: { id: input.taskId },
    select: { systemId: true, operation: true, details: true },
  });
  if (!task) throw new DomainError("NOT_FOUND", { field: "taskId" });
  assertCan(actor, "connectors:manage", { systemId: task.systemId });
  const { count } = await tx.provisioningTask.updateMany({
    where: { id: input.taskId, status: "OPEN" },
    data: { status: "DONE", doneAt: now, doneById: actor.kind === "person" ? actor.personId : null, note: input.note },
  });
  if (count !== 1) throw new DomainError("CONFLICT");
  await recordAuditEvent(tx, actor, {
    action: "provisioning.task-done",
    target: { type: "system", id: task.systemId },
    summary: {
      taskId: input.taskId,
      operation: task.operation,
      details: task.details as Record<string, unknown>,
      before: { status: "OPEN" },
      after: { status: "DONE" },
    },
    reason: input.note,
  });
}

export type TaskRow = {
  id: string;
  operation: string;
  details: { loginName?: string; roleCode?: string; after?: string };
  status: "OPEN" | "DONE" | "VERIFIED";
  createdAt: Date;
  doneAt: Date | null;
  doneBy: string | null;
  note: string | null;
};

const isId = (v: unknown): v is string => typeof v === "string" && /^[0-9a-f-]{36}$/.test(v);

/** A system's open manual tasks, oldest first, in keyset pages of 50. */
export async function listManualTasks(systemId: string, status: "OPEN", cursor?: string | null): Promise<Page<TaskRow>> {
  const after = decodeCursor(cursor, isId);
  const rows = await getDb().$queryRaw<TaskRow[]>`
    SELECT t.id::text AS id, t.operation, t.details, t.status::text AS status, t.created_at AS "createdAt", t.done_at AS "doneAt",
           p.name AS "doneBy", t.note
    FROM provisioning_task t LEFT JOIN person p ON p.id = t.done_by_id
    WHERE t.system_id = ${systemId}::uuid AND t.status = ${status}::"ProvisioningTaskStatus" AND (${after}::uuid IS NULL OR t.id > ${after}::uuid)
    ORDER BY t.id LIMIT 51`;
  const page = rows.slice(0, 50);
  return { rows: page, nextCursor: rows.length > 50 ? encodeCursor(page[page.length - 1]!.id) : null };
}

/** The 20 tasks done most recently (for the record on the page; the audit trail keeps them all). */
export async function recentlyDoneTasks(systemId: string): Promise<TaskRow[]> {
  return getDb().$queryRaw<TaskRow[]>`
    SELECT t.id::text AS id, t.operation, t.details, t.status::text AS status, t.created_at AS "createdAt", t.done_at AS "doneAt",
           p.name AS "doneBy", t.note
    FROM provisioning_task t LEFT JOIN person p ON p.id = t.done_by_id
    WHERE t.system_id = ${systemId}::uuid AND t.status IN ('DONE', 'VERIFIED')
    ORDER BY t.done_at DESC LIMIT 20`;
}
