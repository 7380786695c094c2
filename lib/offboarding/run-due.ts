import { inTransaction, type Tx } from "@/lib/db";
import { systemActor, type Actor } from "@/lib/authz/actor";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { assertSystemAdminRemains } from "@/lib/portal-roles/last-system-admin";
import { lockOpenRequestsOf, offboardPeople } from "./offboard-people";

const CAUSE = "person-left";

/**
 * Runs one offboarding case whose time has come (the day after the last working day began), taken
 * with SKIP LOCKED so several worker processes never run one case twice. The person leaves as if HR
 * acted now; a case that cannot run (the last active system administrator) stays waiting with the
 * reason on it (audited once as offboarding.deferred) and is tried again on the next round. Returns
 * the case id, or null when none is due (or every due one was skipped).
 */
export async function runDueOffboarding(tx: Tx, actor: Actor, now: Date, skip: readonly string[] = []): Promise<string | null> {
  const [due] = await tx.$queryRaw<{ id: string; person_id: string; reason: string; last_error: string | null }[]>`
    SELECT id::text, person_id::text, reason, last_error FROM offboarding_case
    WHERE status = 'SCHEDULED' AND effective_at <= ${now} AND NOT (id = ANY(${[...skip]}::uuid[]))
    ORDER BY effective_at, id LIMIT 1
    FOR UPDATE SKIP LOCKED`;
  if (!due) return null;
  await lockOpenRequestsOf(tx, [due.person_id]);
  const [person] = await tx.$queryRaw<{ id: string; employee_no: string; status: string; sysadmin: boolean }[]>`
    SELECT p.id::text, p.employee_no, p.status::text,
           EXISTS (SELECT 1 FROM portal_role_assignment a WHERE a.person_id = p.id AND a.role = 'SYSTEM_ADMIN') AS sysadmin
    FROM person p WHERE p.id = ${due.person_id}::uuid FOR UPDATE`;
  if (!person) return null;
  if (person.sysadmin) {
    try {
      await assertSystemAdminRemains(tx, { personId: person.id });
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      await tx.offboardingCase.update({ where: { id: due.id }, data: { lastError: e.code } });
      if (due.last_error !== e.code) {
        await recordAuditEvent(tx, actor, {
          action: "offboarding.deferred",
          target: { type: "offboarding-case", id: due.id },
          summary: { personId: person.id, error: e.code },
          reason: due.reason,
        });
      }
      return due.id;
    }
  }
  if (person.status !== "LEFT") {
    await tx.person.update({ where: { id: person.id }, data: { status: "LEFT" } });
  }
  const done = await offboardPeople(tx, actor, { personIds: [person.id], source: "HR", reason: due.reason, cause: CAUSE, now });
  await recordAuditEvent(tx, actor, {
    action: "person.status-changed",
    target: { type: "person", id: person.id },
    summary: {
      employeeNo: person.employee_no,
      before: { status: person.status },
      after: { status: "LEFT" },
      caseId: due.id,
      sessionsEnded: done.cases[0]?.counts.sessionsEnded ?? 0,
      grantsRevoked: done.grants.length,
      slaveAccountsChanged: done.accounts.length,
    },
    reason: due.reason,
  });
  if (done.accounts.length) {
    await recordAuditEvent(tx, actor, {
      action: "slave-account.disabled",
      target: { type: "person", id: person.id },
      summary: { personId: person.id, cause: CAUSE, count: done.accounts.length, slaveAccountIds: done.accounts.map((a) => a.id) },
      reason: due.reason,
    });
  }
  return due.id;
}

/** The scheduled round: every due case, one transaction each. Returns how many ran or were deferred. */
export async function runDueOffboardings(now = new Date()): Promise<number> {
  const tried: string[] = [];
  for (;;) {
    const id = await inTransaction((tx) => runDueOffboarding(tx, systemActor("scheduler"), now, tried), { timeoutMs: 60_000 });
    if (!id) return tried.length;
    tried.push(id);
  }
}
