import { z } from "zod";
import { text } from "@/lib/validation";

// Calendar days as inputs: what a PostgreSQL `date` column holds (UTC midnight of the day). Which day
// "today" is, is a question for lib/time/calendar.ts (APP_TIME_ZONE, decision 0016).

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day ("YYYY-MM-DD" or a Date), as UTC midnight: what a PostgreSQL `date` column holds. */
export function calendarDate(): z.ZodType<Date, string | Date> {
  return z.preprocess(
    (v) => (v instanceof Date ? (Number.isNaN(v.getTime()) ? "invalid" : v.toISOString().slice(0, 10)) : v),
    text({ error: "date" })
      .trim()
      .min(1, "required")
      .regex(DATE, "date")
      // "2026-02-30" would roll over to March: only days that exist, in a sane range.
      .refine((v) => {
        const d = new Date(`${v}T00:00:00Z`);
        return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v && d.getUTCFullYear() >= 1900 && d.getUTCFullYear() <= 2999;
      }, "date")
      .transform((v) => new Date(`${v}T00:00:00Z`)),
  ) as unknown as z.ZodType<Date, string | Date>;
}

/** An optional calendar day: empty becomes undefined. */
export function optionalCalendarDate() {
  return z
    .union([z.literal(""), z.null(), calendarDate()], { error: "date" })
    .optional()
    .transform((v) => v || undefined);
}

/** "YYYY-MM-DD" of a date column's value (UTC midnight). */
export function isoDay(d: Date | null | undefined): string | null {
  return d ? d.toISOString().slice(0, 10) : null;
}
