import { z } from "zod";
import { APP_TIME_ZONE } from "@/lib/time/calendar";
import { optionalText, ReasonInput, text } from "@/lib/validation";
import { EMPLOYEE_NO } from "@/lib/people/schemas";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day "YYYY-MM-DD" that exists. */
const day = text({ error: "date" })
  .trim()
  .min(1, "required")
  .regex(DAY, "date")
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v && d.getUTCFullYear() >= 2000 && d.getUTCFullYear() <= 2999;
  }, "date");

const employeeNo = text().trim().min(1, "required").regex(EMPLOYEE_NO, "invalid");

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

// The portal's time zone, unless the person chooses theirs.
export const DEFAULT_TIME_ZONE = APP_TIME_ZONE;

export const CreateDelegationInput = z.object({
  // Administrators set one up for an absent approver; everyone else delegates their own approvals.
  delegatorEmployeeNo: employeeNo.optional().or(z.literal("").transform(() => undefined)),
  delegateEmployeeNo: employeeNo,
  // First and last day away, calendar days in the portal's time zone (both included).
  startsOn: day,
  endsOn: day,
  timeZone: text().trim().max(64).refine(isTimeZone, "invalid").default(DEFAULT_TIME_ZONE),
  reason: ReasonInput,
});

export const RevokeDelegationInput = z.object({
  delegationId: text().uuid("invalid"),
  reason: optionalText(500),
});
