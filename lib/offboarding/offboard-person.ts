import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { assertSystemAdminRemains } from "@/lib/portal-roles/last-system-admin";
import { changePersonStatus } from "@/lib/people/change-person-status";
import { addDays, dayIn, zonedMidnight } from "@/lib/time/calendar";
import { OffboardPersonInput } from "./schemas";
import { isoDay } from "@/lib/time/calendar-input";

/**
 * HR offboards a person (R5, R11). Without a last working day it happens now: the departure
 * (changePersonStatus → offboardPeople) in this transaction, and the case's receipt follows the
 * systems' confirmations. With one (today or later, in the portal's time zone) a case waits until the
 * start of the next day, when the offboarding job runs it; one waiting case per person (a second is
 * OFFBOARDING_SCHEDULED), and HR can cancel it until then. Returns the case.
 */
export async function offboardPerson(tx: Tx, actor: Actor, raw: z.input<typeof OffboardPersonInput>, now = new Date()) {
  assertCan(actor, "people:manage");
  const input = OffboardPersonInput.parse(raw);
  if (!input.lastWorkingDay) {
    const done = await changePersonStatus(tx, actor, { personId: input.personId, status: "LEFT", reason: input.reason }, now);
    return { caseId: done.caseId!, status: "COMPLETED" as const };
  }
  const day = isoDay(input.lastWorkingDay)!;
  if (day < dayIn(now)) throw new DomainError("OFFBOARDING_DATE_PAST", { field: "lastWorkingDay" });

  const [person] = await tx.$queryRaw<{ id: string; employee_no: string; status: string; path: string; sysadmin: boolean }[]>`
    SELECT p.id::text, p.employee_no, p.status::text, u.path,
           EXISTS (SELECT 1 FROM portal_role_assignment a WHERE a.person_id = p.id AND a.role = 'SYSTEM_ADMIN') AS sysadmin
    FROM person p JOIN org_unit u ON u.id = p.org_unit_id WHERE p.id = ${input.personId}::uuid FOR UPDATE OF p`;
  if (!person) throw new DomainError("NOT_FOUND", { field: "personId" });
  assertCan(actor, "people:manage", { orgUnitPath: person.path });
  if (actor.kind === "person" && actor.personId === person.id) throw new DomainError("FORBIDDEN", { params: { permission: "self" } });
  if (person.status === "LEFT") throw new DomainError("STATUS_TRANSITION", { field: "status", params: { from: "LEFT", to: "LEFT" } });
  const waiting = await tx.offboardingCase.findFirst({ where: { personId: person.id, status: "SCHEDULED" }, select: { number: true } });
  if (waiting) throw new DomainError("OFFBOARDING_SCHEDULED", { params: { number: formatCaseNumber(waiting.number) } });
  if (person.sysadmin) await assertSystemAdminRemains(tx, { personId: person.id });

  const effectiveAt = zonedMidnight(addDays(day, 1));
  const created = await tx.offboardingCase.create({
    data: {
      personId: person.id,
      source: "HR",
      status: "SCHEDULED",
      lastWorkingDay: input.lastWorkingDay,
      effectiveAt,
      reason: input.reason,
      requestedById: actor.kind === "person" ? actor.personId : null,
      requestedAt: now,
    },
    select: { id: true, number: true },
  });
  await recordAuditEvent(tx, actor, {
    action: "offboarding.scheduled",
    target: { type: "offboarding-case", id: created.id },
    summary: { personId: person.id, employeeNo: person.employee_no, lastWorkingDay: day, effectiveAt: effectiveAt.toISOString() },
    reason: input.reason,
  });
  return { caseId: created.id, status: "SCHEDULED" as const };
}

/** OFF-000123. */
export function formatCaseNumber(n: number) {
  return `OFF-${String(n).padStart(6, "0")}`;
}
