import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { clockOffsetFromEnv } from "@/lib/time/pinned-clock";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("pinned clock (decision 0018)", () => {
  it("turns PORTAL_CLOCK_AT into an offset from the real time; PORTAL_CLOCK_OFFSET_MS wins; nothing set is 0", () => {
    const real = Date.parse("2026-12-03T09:00:00Z");
    expect(clockOffsetFromEnv({}, real)).toBe(0);
    expect(clockOffsetFromEnv({ PORTAL_CLOCK_AT: "2026-12-03T16:30:00Z" }, real)).toBe(7.5 * 3_600_000);
    expect(clockOffsetFromEnv({ PORTAL_CLOCK_AT: "2026-12-04T00:30:00+08:00" }, real)).toBe(7.5 * 3_600_000);
    expect(clockOffsetFromEnv({ PORTAL_CLOCK_AT: "2026-12-03T16:30:00Z", PORTAL_CLOCK_OFFSET_MS: "-5000" }, real)).toBe(-5000);
  });

  it("refuses an instant without an offset, a non-date and a non-number", () => {
    expect(() => clockOffsetFromEnv({ PORTAL_CLOCK_AT: "2026-12-03T16:30:00" })).toThrow(/offset or Z/);
    expect(() => clockOffsetFromEnv({ PORTAL_CLOCK_AT: "tomorrowZ" })).toThrow(/ISO 8601/);
    expect(() => clockOffsetFromEnv({ PORTAL_CLOCK_OFFSET_MS: "soon" })).toThrow(/milliseconds/);
  });

  it("shifts Date.now() and new Date() in a process, lets time run, keeps instanceof and dates from values", () => {
    // A separate process: shifting this worker's clock would shift every other test in it.
    const script = `
      import { installClockFromEnv } from "./lib/time/pinned-clock.ts";
      const before = new Date(0);
      installClockFromEnv();
      const a = Date.now(); const b = new Date();
      await new Promise((r) => setTimeout(r, 50));
      console.log(JSON.stringify({ a, b: b.getTime(), later: Date.now(), fromValue: new Date(5).getTime(),
        parsed: new Date("2026-01-01T00:00:00Z").getTime(), isDate: before instanceof Date && b instanceof Date,
        str: typeof Date(), offset: process.env.PORTAL_CLOCK_OFFSET_MS }));`;
    const out = execFileSync(path.join(ROOT, "node_modules/.bin/tsx"), ["--input-type=module", "-e", script], {
      cwd: ROOT,
      env: { ...process.env, PORTAL_CLOCK_AT: "2030-06-15T16:30:00Z", PORTAL_CLOCK_OFFSET_MS: "" },
      encoding: "utf8",
    });
    const r = JSON.parse(out.trim().split("\n").at(-1)!);
    const pinned = Date.parse("2030-06-15T16:30:00Z");
    expect(Math.abs(r.a - pinned)).toBeLessThan(2_000);
    expect(Math.abs(r.b - pinned)).toBeLessThan(2_000);
    expect(r.later - r.a).toBeGreaterThanOrEqual(45);
    expect(r.fromValue).toBe(5);
    expect(r.parsed).toBe(Date.parse("2026-01-01T00:00:00Z"));
    expect(r.isDate).toBe(true);
    expect(r.str).toBe("string");
    expect(Number(r.offset)).toBeCloseTo(pinned - Date.now(), -4);
  });
});
