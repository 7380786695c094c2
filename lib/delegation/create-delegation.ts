import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { notify } from "@/lib/notifications/notify";
import type { PortalRole } from "@/lib/generated/prisma/enums";
import { CreateDelegationInput } from "./schemas";
import { canDelegate, delegateIneligibility, delegationRoleConflict, delegationWindow, rangesOverlap } from "./rules";
import { addDelegatesToOpenStages } from "./stage-rows";
import { loadDelegatorFacts } from "./delegator-facts";

type PersonRow = {
  id: string;
  name: string;
  employee_no: string;
  status: "ACTIVE" | "SUSPENDED" | "LEFT";
  employment_type: "EMPLOYEE" | "THIRD_PARTY";
  account_status: "ACTIVE" | "LOCKED" | "DISABLED" | null;
};

async function findPerson(tx: Tx, employeeNo: string, field: string) {
  const person = await tx.person.findUnique({ where: { employeeNo }, select: { id: true } });
  if (!person) throw new DomainError("NOT_FOUND", { field });
  return person.id;
}

async function rolesOf(tx: Tx, personId: string): Promise<PortalRole[]> {
  const rows = await tx.portalRoleAssignment.findMany({ where: { personId }, select: { role: true } });
  return [...new Set(rows.map((r) => r.role))];
}

/**
 * Out of office: an approver hands their approvals to another person for a date range. Both people
 * are locked (in id order, so concurrent delegations between the same people serialize without
 * deadlock) and every rule is checked on fresh data: the delegator can approve, the delegate is an
 * active employee with a usable account and not the delegator, the range is today or later and at
 * most MAX_DELEGATION_DAYS, no overlapping delegation from the delegator, no chains (the delegate is
 * not away themself, the delegator is not acting for someone else in that range), and separation of
 * duties (the delegate holds no portal role incompatible with the delegator's approving roles).
 * When it is in force already, the delegate joins the delegator's open stages at once.
 */
export async function createDelegation(tx: Tx, actor: Actor, raw: z.input<typeof CreateDelegationInput>, now = new Date()) {
  const input = CreateDelegationInput.parse(raw);
  assertCan(actor, "self:delegate");
  const delegateId = await findPerson(tx, input.delegateEmployeeNo, "delegateEmployeeNo");
  let delegatorId: string;
  if (input.delegatorEmployeeNo && !(actor.kind === "person" && actor.employeeNo === input.delegatorEmployeeNo)) {
    // For someone else: administrators only (an absent approver).
    assertCan(actor, "delegations:manage");
    delegatorId = await findPerson(tx, input.delegatorEmployeeNo, "delegatorEmployeeNo");
  } else if (actor.kind === "person") {
    delegatorId = actor.personId;
  } else {
    throw new DomainError("VALIDATION", { field: "delegatorEmployeeNo" });
  }

  const ids = [...new Set([delegatorId, delegateId])].sort();
  const locked = await tx.$queryRaw<PersonRow[]>`
    SELECT p.id, p.name, p.employee_no, p.status::text AS status, p.employment_type::text AS employment_type, a.status::text AS account_status
    FROM person p LEFT JOIN master_account a ON a.person_id = p.id
    WHERE p.id = ANY(${ids}::uuid[]) ORDER BY p.id FOR NO KEY UPDATE OF p`;
  const delegator = locked.find((p) => p.id === delegatorId)!;
  const delegate = locked.find((p) => p.id === delegateId)!;

  const window = delegationWindow(input.startsOn, input.endsOn, input.timeZone, now);

  if (delegator.status !== "ACTIVE")
    throw new DomainError("DELEGATOR_NOT_APPROVER", { field: "delegatorEmployeeNo", params: { name: delegator.name } });
  const facts = await loadDelegatorFacts(tx, delegatorId);
  const delegateRoles = await rolesOf(tx, delegateId);
  if (!canDelegate(facts)) {
    throw new DomainError("DELEGATOR_NOT_APPROVER", {
      field: input.delegatorEmployeeNo ? "delegatorEmployeeNo" : undefined,
      params: { name: delegator.name },
    });
  }

  const ineligible = delegateIneligibility(delegatorId, {
    id: delegate.id,
    status: delegate.status,
    employmentType: delegate.employment_type,
    accountStatus: delegate.account_status,
  });
  if (ineligible)
    throw new DomainError("DELEGATE_NOT_ELIGIBLE", { field: "delegateEmployeeNo", params: { reason: ineligible, name: delegate.name } });

  const conflict = delegationRoleConflict(facts.roles, delegateRoles);
  if (conflict)
    throw new DomainError("DELEGATION_SOD_CONFLICT", { field: "delegateEmployeeNo", params: { ...conflict, name: delegate.name } });

  // Delegations still to come or in force, of either person, in either role.
  const current = await tx.approvalDelegation.findMany({
    where: { revokedAt: null, endsAt: { gt: now }, OR: [{ delegatorId: { in: ids } }, { delegateId: { in: ids } }] },
    select: { id: true, delegatorId: true, delegateId: true, startsAt: true, endsAt: true },
  });
  const overlapping = current.filter((d) => rangesOverlap(d, window));
  const own = overlapping.find((d) => d.delegatorId === delegatorId);
  if (own)
    throw new DomainError("DELEGATION_OVERLAP", {
      field: "startsOn",
      params: { from: own.startsAt.toISOString(), to: own.endsAt.toISOString() },
    });
  if (overlapping.some((d) => d.delegatorId === delegateId)) {
    throw new DomainError("DELEGATION_CHAIN", { field: "delegateEmployeeNo", params: { reason: "delegateAway", name: delegate.name } });
  }
  if (overlapping.some((d) => d.delegateId === delegatorId)) {
    throw new DomainError("DELEGATION_CHAIN", { field: "startsOn", params: { reason: "delegatorActing", name: delegator.name } });
  }

  const actorId = actor.kind === "person" ? actor.personId : null;
  const delegation = await tx.approvalDelegation.create({
    data: { delegatorId, delegateId, startsAt: window.startsAt, endsAt: window.endsAt, reason: input.reason, createdById: actorId },
  });
  const added = window.startsAt <= now ? await addDelegatesToOpenStages(tx, now, delegation.id) : [];
  // Items waiting for the delegator that did not move: the delegate asked for them, is their subject or
  // has already decided them, so they stay with the delegator (the page says so, with the reason).
  const waiting =
    window.startsAt <= now
      ? await tx.stageApprover.count({
          where: {
            approverId: delegatorId,
            isOpen: true,
            source: { not: "DELEGATED" },
            stage: { status: "ACTIVE" },
            request: { status: "PENDING" },
          },
        })
      : 0;
  const stayedWithDelegator = Math.max(0, waiting - added.length);

  await notify(tx, {
    recipientIds: [delegateId],
    kind: "delegation-received",
    params: { delegator: delegator.name, from: input.startsOn, to: input.endsOn, pending: added.length },
    link: "/approvals",
  });
  await recordAuditEvent(tx, actor, {
    action: "delegation.created",
    target: { type: "delegation", id: delegation.id },
    summary: {
      after: {
        delegator: { id: delegatorId, name: delegator.name, employeeNo: delegator.employee_no },
        delegate: { id: delegateId, name: delegate.name, employeeNo: delegate.employee_no },
        startsAt: window.startsAt.toISOString(),
        endsAt: window.endsAt.toISOString(),
        onBehalfOfDelegator: actorId !== delegatorId,
      },
      addedToStages: added.length,
      stayedWithDelegator,
    },
    reason: input.reason,
  });
  return { delegation, addedToStages: added.length, stayedWithDelegator };
}
