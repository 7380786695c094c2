import type { ErrorCode } from "@/lib/errors";
import { DomainError } from "@/lib/errors";
import type { RequestSettings } from "./request-settings";
import { addDays, APP_TIME_ZONE, dayIn, endOfDay } from "@/lib/time/calendar";

// How long requested access may last (issue 4 items 1 and 8; R10). Pure: submission, the final
// approval and the request form all ask the same functions.

const HOUR_MS = 3_600_000;

export type DurationFacts = {
  kind: "GRANT" | "ELEVATION";
  employmentType: "EMPLOYEE" | "THIRD_PARTY";
  // A third party's contract end (a calendar day, stored as its UTC midnight); null for employees.
  contractEndsOn: Date | null;
  // The role carries a permission of a sensitive level (classification setting) / is an administrator role.
  isSensitive: boolean;
  isAdministrative: boolean;
  settings: Pick<RequestSettings, "maxDays" | "maxSensitiveDays" | "maxElevationHours">;
  now: Date;
  // Whose calendar days count (default: the portal's, APP_TIME_ZONE).
  timeZone?: string;
};

export type PermanentRefusal = "elevation" | "thirdParty" | "sensitive" | "administrative";

/** Why this request may not be permanent, or null when it may (employees on non-sensitive roles). */
export function permanentRefusal(f: Omit<DurationFacts, "settings" | "now" | "contractEndsOn">): PermanentRefusal | null {
  if (f.kind === "ELEVATION") return "elevation";
  if (f.employmentType === "THIRD_PARTY") return "thirdParty";
  if (f.isSensitive) return "sensitive";
  if (f.isAdministrative) return "administrative";
  return null;
}

/**
 * The end of the calendar day `days` days from today in the portal's time zone: "at most N days"
 * counts whole days, through the last one (the same instant a request "through that day" ends at).
 */
export function endOfDayIn(now: Date, days: number, timeZone = APP_TIME_ZONE): Date {
  return endOfDay(addDays(dayIn(now, timeZone), days), timeZone);
}

/** Each limit that applies, with the error it gives when the end is past it; the earliest binds. */
function limits(f: DurationFacts): { at: Date; code: ErrorCode; params: Record<string, string | number> }[] {
  const out: { at: Date; code: ErrorCode; params: Record<string, string | number> }[] = [];
  if (f.kind === "ELEVATION") {
    out.push({
      at: new Date(f.now.getTime() + f.settings.maxElevationHours * HOUR_MS),
      code: "REQUEST_ELEVATION_TOO_LONG",
      params: { hours: f.settings.maxElevationHours },
    });
  }
  if (f.isSensitive || f.isAdministrative) {
    out.push({
      at: endOfDayIn(f.now, f.settings.maxSensitiveDays, f.timeZone),
      code: "REQUEST_TOO_LONG",
      params: { days: f.settings.maxSensitiveDays },
    });
  }
  out.push({ at: endOfDayIn(f.now, f.settings.maxDays, f.timeZone), code: "REQUEST_TOO_LONG", params: { days: f.settings.maxDays } });
  if (f.employmentType === "THIRD_PARTY") {
    // Through the last day of the contract; a third party without a contract end gets nothing (R10).
    const contractDay = f.contractEndsOn?.toISOString().slice(0, 10);
    out.push({
      at: contractDay ? endOfDay(contractDay, f.timeZone) : f.now,
      code: "REQUEST_PAST_CONTRACT_END",
      params: { date: contractDay ?? "-" },
    });
  }
  return out;
}

/** The latest end the rules allow (for the form's date picker and presets). */
export function latestEnd(f: DurationFacts): Date {
  return new Date(Math.min(...limits(f).map((l) => l.at.getTime())));
}

export type DurationProblem = { code: ErrorCode; field: "endsAt" | "kind"; params: Record<string, string | number> };

/** The first rule the requested end breaks, or null. */
export function durationProblem(f: DurationFacts, endsAt: Date | null): DurationProblem | null {
  if (f.kind === "ELEVATION" && f.employmentType !== "THIRD_PARTY")
    return { code: "REQUEST_ELEVATION_THIRD_PARTY_ONLY", field: "kind", params: {} };
  if (endsAt === null) {
    const why = permanentRefusal(f);
    return why ? { code: "REQUEST_PERMANENT_NOT_ALLOWED", field: "endsAt", params: { reason: why } } : null;
  }
  if (endsAt.getTime() <= f.now.getTime()) return { code: "DATE_IN_PAST", field: "endsAt", params: {} };
  const broken = limits(f)
    .filter((l) => endsAt.getTime() > l.at.getTime())
    .sort((a, b) => a.at.getTime() - b.at.getTime())[0];
  return broken ? { code: broken.code, field: "endsAt", params: broken.params } : null;
}

export function assertDuration(f: DurationFacts, endsAt: Date | null): void {
  const problem = durationProblem(f, endsAt);
  if (problem) throw new DomainError(problem.code, { field: problem.field, params: problem.params });
}
