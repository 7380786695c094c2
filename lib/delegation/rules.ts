import type { PortalRole } from "@/lib/generated/prisma/enums";
import { incompatibleRoleFor } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";

// The pure rules of delegation (out of office); lib/delegation/create-delegation.ts applies them to
// fresh data under row locks. See docs/decisions/0009-delegation-and-approval-jobs.md.

/** The longest out-of-office delegation, in calendar days (first and last day included). */
export const MAX_DELEGATION_DAYS = 90;

/** Portal roles whose holders decide approval stages (the department-head kind is org-unit headship). */
export const APPROVING_ROLES: readonly PortalRole[] = ["APPROVER", "ACCOUNT_ADMIN", "SECURITY_OFFICER"];

const DAY_MS = 86_400_000;

import { addDays, dayIn, zonedMidnight } from "@/lib/time/calendar";

/**
 * The instants a delegation covers: from the start of its first day (or now, when that is today)
 * to the end of its last day, in the portal's time zone. Refuses a first day already passed, a last
 * day before the first, and more than MAX_DELEGATION_DAYS days.
 */
export function delegationWindow(startsOn: string, endsOn: string, timeZone: string, now: Date): { startsAt: Date; endsAt: Date } {
  const today = dayIn(now, timeZone);
  if (startsOn < today) throw new DomainError("DATE_IN_PAST", { field: "startsOn" });
  if (endsOn < startsOn) throw new DomainError("VALIDATION", { field: "endsOn" });
  const days = Math.round((new Date(`${endsOn}T00:00:00Z`).getTime() - new Date(`${startsOn}T00:00:00Z`).getTime()) / DAY_MS) + 1;
  if (days > MAX_DELEGATION_DAYS) throw new DomainError("DELEGATION_TOO_LONG", { field: "endsOn", params: { max: MAX_DELEGATION_DAYS } });
  const dayStart = zonedMidnight(startsOn, timeZone);
  return { startsAt: dayStart < now ? now : dayStart, endsAt: zonedMidnight(addDays(endsOn, 1), timeZone) };
}

/** Half-open ranges [startsAt, endsAt) overlap. */
export function rangesOverlap(a: { startsAt: Date; endsAt: Date }, b: { startsAt: Date; endsAt: Date }): boolean {
  return a.startsAt < b.endsAt && b.startsAt < a.endsAt;
}

export type DelegatorFacts = {
  roles: readonly PortalRole[];
  // Head of an active org unit (department-head stages).
  isOrgUnitHead: boolean;
  // Sponsor of an active third party (R10 elevation stages).
  isSponsor: boolean;
  // Named on a stage still waiting for them (e.g. a system's configured approvers).
  hasOpenApprovals: boolean;
};

/** Anyone who can be asked to approve may delegate: approving portal roles, heads, sponsors, named approvers. */
export function canDelegate(facts: DelegatorFacts): boolean {
  return facts.roles.some((r) => APPROVING_ROLES.includes(r)) || facts.isOrgUnitHead || facts.isSponsor || facts.hasOpenApprovals;
}

/**
 * Separation of duties for delegation: the delegate would decide with the delegator's approving
 * roles, so the delegate must not hold a portal role incompatible with any of them (e.g. security
 * officer approvals to an account administrator, or the other way round). The first conflict found,
 * as { held: the delegate's role, wanted: the delegator's role }.
 */
export function delegationRoleConflict(
  delegatorRoles: readonly PortalRole[],
  delegateRoles: readonly PortalRole[],
): { held: PortalRole; wanted: PortalRole } | null {
  for (const wanted of new Set(delegatorRoles)) {
    if (!APPROVING_ROLES.includes(wanted)) continue;
    const held = incompatibleRoleFor(delegateRoles, wanted);
    if (held) return { held, wanted };
  }
  return null;
}

export type DelegatePersonFacts = {
  id: string;
  status: "ACTIVE" | "SUSPENDED" | "LEFT";
  employmentType: "EMPLOYEE" | "THIRD_PARTY";
  accountStatus: "ACTIVE" | "LOCKED" | "DISABLED" | null;
};

/**
 * Why this person cannot receive the delegator's approvals, or null: the delegator themself; not an
 * active person with a usable master account; a third party (R10: nothing beyond their work).
 */
export function delegateIneligibility(
  delegatorId: string,
  delegate: DelegatePersonFacts,
): "self" | "inactive" | "noAccount" | "thirdParty" | null {
  if (delegate.id === delegatorId) return "self";
  if (delegate.status !== "ACTIVE") return "inactive";
  if (delegate.accountStatus !== "ACTIVE") return "noAccount";
  if (delegate.employmentType !== "EMPLOYEE") return "thirdParty";
  return null;
}
