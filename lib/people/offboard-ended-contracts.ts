import { inTransaction, type Tx } from "@/lib/db";
import { dayIn } from "@/lib/time/calendar";
import { systemActor, type Actor } from "@/lib/authz/actor";
import { recordBulkAuditEvent } from "@/lib/audit/record-audit-event";
import { lockOpenRequestsOf, offboardPeople } from "@/lib/offboarding/offboard-people";
import { accountItems } from "@/lib/slave-accounts/stop-access";

export const CONTRACT_ENDED_REASON = "Third-party contract ended";
const CAUSE = "contract-ended";

/**
 * R10: when a third party's contract ends, their access is cleaned up at once. Takes (SKIP LOCKED) a
 * batch of third parties, not yet left, whose contract end day is before today (the portal's time zone, lib/time/calendar.ts), and offboards them
 * exactly as HR recording a departure would: status LEFT, portal sessions ended, slave accounts
 * disabled, live grants revoked, outbox rows for connected systems, findings rebuilt, open requests
 * cancelled, approval seats re-routed, delegations ended; each with an offboarding case and its receipt. Set-based; one
 * bulk audit event per kind per batch, with an item per person, grant and account. Returns how many people.
 */
export async function offboardEndedContracts(tx: Tx, actor: Actor, now = new Date(), batchSize = 500): Promise<number> {
  const today = dayIn(now);
  // Their open requests are locked before the people (lock order, lib/offboarding/offboard-people.ts).
  const candidates = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text FROM person
    WHERE employment_type = 'THIRD_PARTY' AND status <> 'LEFT' AND contract_ends_on < ${today}::date
    ORDER BY contract_ends_on, id LIMIT ${batchSize}`;
  if (candidates.length === 0) return 0;
  await lockOpenRequestsOf(
    tx,
    candidates.map((c) => c.id),
  );
  const people = await tx.$queryRaw<{ id: string; employee_no: string; status: string }[]>`
    SELECT id::text, employee_no, status::text FROM person
    WHERE id = ANY(${candidates.map((c) => c.id)}::uuid[]) AND status <> 'LEFT'
    ORDER BY contract_ends_on, id
    FOR UPDATE SKIP LOCKED`;
  if (people.length === 0) return 0;
  const personIds = people.map((p) => p.id);
  await tx.$executeRaw`UPDATE person SET status = 'LEFT', updated_at = ${now} WHERE id = ANY(${personIds}::uuid[])`;
  const target = { type: "person" as const, id: people.length === 1 ? personIds[0]! : null };
  // Each person gets an offboarding case with its receipt, exactly as HR recording the departure.
  const { cases, grants, accounts } = await offboardPeople(tx, actor, {
    personIds,
    source: "CONTRACT",
    reason: CONTRACT_ENDED_REASON,
    cause: CAUSE,
    now,
  });
  const sessionsEnded = cases.reduce((n, c) => n + c.counts.sessionsEnded, 0);

  await recordBulkAuditEvent(
    tx,
    actor,
    {
      action: "person.status-changed",
      target,
      summary: {
        cause: CAUSE,
        count: people.length,
        after: { status: "LEFT" },
        sessionsEnded,
        grantsRevoked: grants.length,
        slaveAccountsChanged: accounts.length,
      },
      reason: CONTRACT_ENDED_REASON,
    },
    people.map((p) => ({
      kind: "person" as const,
      subjectId: p.id,
      personId: p.id,
      detail: { employeeNo: p.employee_no, before: { status: p.status }, after: { status: "LEFT" } },
    })),
  );
  if (accounts.length) {
    await recordBulkAuditEvent(
      tx,
      actor,
      {
        action: "slave-account.disabled",
        target,
        summary: { cause: CAUSE, count: accounts.length, people: people.length },
        reason: CONTRACT_ENDED_REASON,
      },
      accountItems(accounts),
    );
  }
  return people.length;
}

// Its own advisory lock (distinct from every other advisory lock key in lib/).
const LOCK_KEY = 4040451;

/** The scheduled round: batches until none is left, one process at a time (advisory lock). */
export async function runContractOffboarding(now = new Date()): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await inTransaction(
      async (tx) => {
        const [row] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${LOCK_KEY}) AS locked`;
        if (!row?.locked) return 0;
        return offboardEndedContracts(tx, systemActor("scheduler"), now);
      },
      { timeoutMs: 120_000 },
    );
    total += done;
    if (done === 0) return total;
  }
}
