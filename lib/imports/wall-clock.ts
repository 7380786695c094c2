// Dates and times as Chinese office software writes them into a spreadsheet or a CSV, read as the
// wall-clock time of the portal's time zone (APP_TIME_ZONE, Asia/Shanghai by default) unless the text
// names its own offset. Used by the account, grant and last-login imports and by the exports, which
// write the same wall-clock form back (so an export re-imports unchanged).

const two = (n: number) => String(n).padStart(2, "0");

/** Excel's day 0 is 1899-12-30 (the 1900 leap-year bug folded in); serials count days from it. */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
// 1970-01-01 .. 2099-12-31: a bare number outside this is not a plausible login or end date.
const SERIAL_MIN = 25_569;
const SERIAL_MAX = 73_050;

type WallClock = { y: number; mo: number; d: number; h: number; mi: number; s: number; ms: number };

// 2026-11-03 08:05:00 · 2026/11/3 8:05 · 2026.11.3 · 2026年11月3日 8时5分 · 2026/11/3 下午 8:05 · 2026-11-03T08:05:00.123
const DATE_TIME =
  /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:(?:\s+|T)(上午|下午|AM|PM|am|pm)?\s*(\d{1,2})\s*[:：时]\s*(\d{1,2})\s*(?:[:：分]\s*(\d{1,2})(?:\.(\d{1,6}))?\s*秒?|分)?\s*(上午|下午|AM|PM|am|pm)?)?$/;
// An explicit offset or Z: an instant, whatever the time zone (ISO 8601 as APIs and logs write it).
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?\s*(?:Z|[+-]\d{2}:?\d{2})$/i;
// US order with slashes ("11/3/2026 8:05"): only written by an English Excel; not guessed, refused.

function daysInMonth(y: number, mo: number): number {
  return new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

function valid(w: WallClock): boolean {
  return (
    w.y >= 1900 &&
    w.y <= 9999 &&
    w.mo >= 1 &&
    w.mo <= 12 &&
    w.d >= 1 &&
    w.d <= daysInMonth(w.y, w.mo) &&
    w.h <= 23 &&
    w.mi <= 59 &&
    w.s <= 59
  );
}

// Making a DateTimeFormat costs far more than using one: one per time zone, for files of 20,000 rows.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function zonedParts(instant: Date, timeZone: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(instant)) out[p.type] = p.value;
  return out;
}

/** The offset of a time zone at an instant, in ms (Asia/Shanghai: +8 h). */
function zoneOffsetMs(instant: number, timeZone: string): number {
  const p = zonedParts(new Date(instant), timeZone);
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** A wall-clock time in a time zone as an instant (twice round for a zone that changes offset). */
export function zonedInstant(w: WallClock, timeZone: string): Date {
  const naive = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s, w.ms);
  let t = naive - zoneOffsetMs(naive, timeZone);
  t = naive - zoneOffsetMs(t, timeZone);
  return new Date(t);
}

function fromSerial(text: string): WallClock | null {
  if (!/^\d{5}(?:\.\d+)?$/.test(text)) return null;
  const serial = Number(text);
  if (serial < SERIAL_MIN || serial > SERIAL_MAX) return null;
  // Whole seconds: Excel stores times as fractions of a day and rounds what it shows.
  const t = new Date(EXCEL_EPOCH_MS + Math.round(serial * 86_400) * 1000);
  return {
    y: t.getUTCFullYear(),
    mo: t.getUTCMonth() + 1,
    d: t.getUTCDate(),
    h: t.getUTCHours(),
    mi: t.getUTCMinutes(),
    s: t.getUTCSeconds(),
    ms: 0,
  };
}

function fromText(text: string): WallClock | null {
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const meridiem = (m[4] ?? m[9] ?? "").toLowerCase();
  let h = m[5] ? Number(m[5]) : 0;
  if (meridiem) {
    if (h < 1 || h > 12) return null;
    if (meridiem === "下午" || meridiem === "pm") h = h === 12 ? 12 : h + 12;
    else if (h === 12) h = 0;
  }
  return {
    y: Number(m[1]),
    mo: Number(m[2]),
    d: Number(m[3]),
    h,
    mi: m[6] ? Number(m[6]) : 0,
    s: m[7] ? Number(m[7]) : 0,
    ms: m[8] ? Number(m[8].padEnd(3, "0").slice(0, 3)) : 0,
  };
}

/**
 * A date-time cell as an instant, or null when the text is not one. Accepts what spreadsheets and
 * business systems write: "2026/11/3 8:05", "2026-11-03 08:05:00", "2026年11月3日 8时5分",
 * "2026/11/3 下午 8:05", a date alone (midnight), an Excel serial ("46329.336805") and ISO 8601
 * with an offset ("2026-11-03T00:05:00Z").
 */
export function parseDateTime(raw: string, timeZone: string): Date | null {
  const text = raw.normalize("NFKC").trim();
  if (!text) return null;
  if (ISO_INSTANT.test(text)) {
    const t = new Date(text.replace(" ", "T").replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
    return Number.isNaN(t.getTime()) ? null : t;
  }
  const w = fromSerial(text) ?? fromText(text);
  return w && valid(w) ? zonedInstant(w, timeZone) : null;
}

/** A date cell (no time) as "YYYY-MM-DD", or null. Same spellings as parseDateTime, time ignored only when it is midnight. */
export function parseDay(raw: string): string | null {
  const text = raw.normalize("NFKC").trim();
  if (!text) return null;
  const w = fromSerial(text) ?? fromText(text);
  if (!w || !valid(w) || w.h || w.mi || w.s) return null;
  return `${w.y}-${two(w.mo)}-${two(w.d)}`;
}

/** An instant as the wall-clock text the imports read back: "2026-11-03 08:05:00" in the time zone. */
export function formatDateTime(instant: Date, timeZone: string): string {
  const p = zonedParts(instant, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}
