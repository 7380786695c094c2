// The clock as a test input (decision 0018). PORTAL_CLOCK_AT=<ISO instant> pins the wall clock of a
// test run to that instant and lets it run on from there; PORTAL_CLOCK_OFFSET_MS carries the same shift,
// computed once, to every process of the run (scripts/with-db.ts also shifts the test database's now()).
// Neither is read by the portal itself: production has no shift.

const REAL_DATE = Date;
const realNow = REAL_DATE.now.bind(REAL_DATE);
let installedOffset: number | undefined;

type ClockEnv = Record<string, string | undefined>;

/**
 * The shift (ms) a run asks for: PORTAL_CLOCK_OFFSET_MS as given, else PORTAL_CLOCK_AT minus the real
 * time now, else 0. Throws on a value that is not an instant or a number.
 */
export function clockOffsetFromEnv(env: ClockEnv = process.env, now: number = realNow()): number {
  const offset = env.PORTAL_CLOCK_OFFSET_MS?.trim();
  if (offset) {
    const ms = Number(offset);
    if (!Number.isFinite(ms)) throw new Error(`PORTAL_CLOCK_OFFSET_MS is not a number of milliseconds: ${offset}`);
    return Math.round(ms);
  }
  const at = env.PORTAL_CLOCK_AT?.trim();
  if (!at) return 0;
  // An instant needs its offset: "2026-12-03T00:30:00+08:00" or "…Z", never a local wall time.
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(at)) throw new Error(`PORTAL_CLOCK_AT needs a time zone offset or Z: ${at}`);
  const pinned = REAL_DATE.parse(at);
  if (Number.isNaN(pinned)) throw new Error(`PORTAL_CLOCK_AT is not an ISO 8601 instant: ${at}`);
  return pinned - now;
}

/**
 * Shifts this process's Date by `offsetMs`: `Date.now()` and `new Date()` read the real clock plus the
 * offset, so time still runs. Dates made from a value, `instanceof Date` and every other Date method are
 * untouched. Idempotent for the same offset; 0 installs nothing.
 */
export function installClockOffset(offsetMs: number): void {
  if (offsetMs === 0 || installedOffset === offsetMs) return;
  if (installedOffset !== undefined) throw new Error("the clock is already shifted by another offset");
  installedOffset = offsetMs;
  const shiftedNow = (): number => realNow() + offsetMs;
  REAL_DATE.now = shiftedNow;
  const ShiftedDate = new Proxy(REAL_DATE, {
    construct(target, args: unknown[], newTarget) {
      return Reflect.construct(target, args.length === 0 ? [shiftedNow()] : args, newTarget);
    },
    apply() {
      // Date() called as a function returns the current time as a string.
      return new REAL_DATE(shiftedNow()).toString();
    },
  });
  globalThis.Date = ShiftedDate;
}

/** Installs the shift the environment asks for and hands it on (so child processes use the same one). */
export function installClockFromEnv(env: ClockEnv = process.env): number {
  const offset = clockOffsetFromEnv(env);
  if (offset !== 0) env.PORTAL_CLOCK_OFFSET_MS = String(offset);
  installClockOffset(offset);
  return offset;
}
