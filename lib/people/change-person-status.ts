import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent, recordBulkAuditEvent } from "@/lib/audit/record-audit-event";
import { assertSystemAdminRemains } from "@/lib/portal-roles/last-system-admin";
import { accountItems, stopPeopleAccess, type ChangedAccount } from "@/lib/slave-accounts/stop-access";
import { lockOpenRequestsOf, offboardPeople } from "@/lib/offboarding/offboard-people";
import { ChangePersonStatusInput } from "./schemas";

type Status = "ACTIVE" | "SUSPENDED" | "LEFT";

// Leaving is final: a returning person is a new joiner (and their old grants stay history).
const ALLOWED: Record<Status, readonly Status[]> = {
  ACTIVE: ["SUSPENDED", "LEFT"],
  SUSPENDED: ["ACTIVE", "LEFT"],
  LEFT: [],
};

/**
 * Suspends, reinstates or records the departure of a person (R5, R11). Compare-and-set on the status,
 * so two HR users acting at once produce one change and a CONFLICT for the other. Suspension and
 * departure take effect at once, in the same transaction: every portal session ends, every live grant
 * in every business system is revoked and the person's slave accounts are disabled (leaving) or locked
 * (suspension), set-based, with outbox rows for connected systems (one audit row each listing the
 * grants, written by lib/grants/end-grants.ts, and the accounts).
 * Reinstatement restores no access: it is requested and granted again. The last active system
 * administrator cannot be suspended or made a leaver (the portal would have no administrator).
 */
export async function changePersonStatus(tx: Tx, actor: Actor, raw: z.input<typeof ChangePersonStatusInput>, now = new Date()) {
  assertCan(actor, "people:manage");
  const input = ChangePersonStatusInput.parse(raw);
  const person = await tx.person.findUnique({
    where: { id: input.personId },
    select: {
      id: true,
      employeeNo: true,
      status: true,
      orgUnit: { select: { path: true } },
      account: { select: { id: true } },
      _count: { select: { roleAssignments: { where: { role: "SYSTEM_ADMIN" } } } },
    },
  });
  if (!person) throw new DomainError("NOT_FOUND", { field: "personId" });
  assertCan(actor, "people:manage", { orgUnitPath: person.orgUnit.path });
  if (actor.kind === "person" && actor.personId === person.id) throw new DomainError("FORBIDDEN", { params: { permission: "self" } });
  if (input.expectedStatus && input.expectedStatus !== person.status)
    throw new DomainError("CONFLICT", { params: { status: person.status } });
  if (!ALLOWED[person.status].includes(input.status)) {
    throw new DomainError("STATUS_TRANSITION", { field: "status", params: { from: person.status, to: input.status } });
  }
  const leaving = input.status !== "ACTIVE";
  if (leaving && person._count.roleAssignments > 0) await assertSystemAdminRemains(tx, { personId: person.id });

  // A departure cancels the person's open requests: lock them before the person (lock order, lib/offboarding).
  if (input.status === "LEFT") await lockOpenRequestsOf(tx, [person.id]);
  // A concurrent change of the same person waits on the row, then finds the status moved: 0 rows.
  const changed = await tx.person.updateMany({ where: { id: person.id, status: person.status }, data: { status: input.status } });
  if (changed.count !== 1) throw new DomainError("CONFLICT", { params: { status: person.status } });

  let sessionsEnded = 0;
  let grantIds: string[] = [];
  let slaveAccountIds: string[] = [];
  let caseId: string | null = null;
  let accounts: ChangedAccount[] = [];
  const cause = `person-${input.status.toLowerCase()}`;
  if (input.status === "LEFT") {
    // A departure is an offboarding case (lib/offboarding): master account, sessions, grants, accounts,
    // open requests, approval seats and delegations, with a receipt.
    const done = await offboardPeople(tx, actor, { personIds: [person.id], source: "HR", reason: input.reason, cause, now });
    sessionsEnded = done.cases[0]?.counts.sessionsEnded ?? 0;
    caseId = done.cases[0]?.caseId ?? null;
    grantIds = done.grants.map((g) => g.id);
    accounts = done.accounts;
    slaveAccountIds = accounts.map((a) => a.id);
  } else if (leaving) {
    if (person.account) {
      const ended = await tx.portalSession.updateMany({
        where: { accountId: person.account.id, revokedAt: null },
        data: { revokedAt: now, revokedReason: cause },
      });
      sessionsEnded = ended.count;
    }
    // Suspended people's accounts are locked and every live grant ends (R5, R10).
    const stopped = await stopPeopleAccess(tx, actor, {
      personIds: [person.id],
      accountStatus: "LOCKED",
      reason: input.reason,
      cause,
      now,
      audit: { target: { type: "person", id: person.id }, summary: { personId: person.id } },
    });
    grantIds = stopped.grants.map((g) => g.id);
    accounts = stopped.accounts;
    slaveAccountIds = accounts.map((a) => a.id);
  }

  await recordAuditEvent(tx, actor, {
    action: "person.status-changed",
    target: { type: "person", id: person.id },
    summary: {
      employeeNo: person.employeeNo,
      before: { status: person.status },
      after: { status: input.status },
      sessionsEnded,
      grantsRevoked: grantIds.length,
      slaveAccountsChanged: slaveAccountIds.length,
    },
    reason: input.reason,
  });
  if (slaveAccountIds.length) {
    await recordBulkAuditEvent(
      tx,
      actor,
      {
        action: input.status === "LEFT" ? "slave-account.disabled" : "slave-account.locked",
        target: { type: "person", id: person.id },
        summary: { personId: person.id, cause, count: slaveAccountIds.length },
        reason: input.reason,
      },
      accountItems(accounts),
    );
  }
  return { id: person.id, status: input.status, sessionsEnded, grantIds, slaveAccountIds, ...(caseId ? { caseId } : {}) };
}
