// Calendar days are the portal's time zone (APP_TIME_ZONE, Asia/Shanghai by default; decision 0016):
// "ends on 7 December" means through the end of 7 December there, wherever the server's clock runs.

export const APP_TIME_ZONE = process.env.APP_TIME_ZONE ?? "Asia/Shanghai";

const DAY_MS = 86_400_000;

/** "YYYY-MM-DD" of the calendar day `at` falls on in a time zone. */
export function dayIn(at: Date, timeZone = APP_TIME_ZONE): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

/** Midnight at the start of a calendar day in a time zone, as an instant. */
export function zonedMidnight(day: string, timeZone = APP_TIME_ZONE): Date {
  const utcMidnight = new Date(`${day}T00:00:00Z`);
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(utcMidnight);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asZoned = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"));
  return new Date(utcMidnight.getTime() - (asZoned - utcMidnight.getTime()));
}

/** A wall-clock time ("HH:mm") of a calendar day in a time zone, as an instant. */
export function zonedDayTime(day: string, time: string, timeZone = APP_TIME_ZONE): Date {
  const naive = Date.parse(`${day}T${time}:00Z`);
  const offsetAt = (instant: number) => {
    const parts = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    }).formatToParts(new Date(instant));
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
    return Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute")) - Math.floor(instant / 60_000) * 60_000;
  };
  // Twice round, for a zone whose offset changes between the guess and the answer.
  const first = naive - offsetAt(naive);
  return new Date(naive - offsetAt(first));
}

/** The calendar day `days` after `day` (negative: before). */
export function addDays(day: string, days: number): string {
  return new Date(new Date(`${day}T00:00:00Z`).getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

/** The last millisecond of a calendar day in a time zone: access "through that day" ends here. */
export function endOfDay(day: string, timeZone = APP_TIME_ZONE): Date {
  return new Date(zonedMidnight(addDays(day, 1), timeZone).getTime() - 1);
}

/** ISO 8601 with the time zone's offset at that instant ("2026-12-03T01:15:00.000+08:00"), for JSON fields. */
export function isoInZone(at: Date, timeZone = APP_TIME_ZONE): string {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "00";
  const wall = Date.UTC(
    Number(get("year")),
    Number(get("month")) - 1,
    Number(get("day")),
    Number(get("hour")),
    Number(get("minute")),
    Number(get("second")),
  );
  const offsetMin = Math.round((wall - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
  const sign = offsetMin < 0 ? "-" : "+";
  const abs = Math.abs(offsetMin);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
  const ms = String(at.getTime() - Math.floor(at.getTime() / 1000) * 1000).padStart(3, "0");
  return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}:${get("second")}.${ms}${offset}`;
}
