import { describe, expect, it } from "vitest";
import { zonedDayTime } from "@/lib/time/calendar";

describe("zonedDayTime", () => {
  it("is the wall-clock minute of that day in the zone", () => {
    expect(zonedDayTime("2026-12-03", "10:30", "Asia/Shanghai").toISOString()).toBe("2026-12-03T02:30:00.000Z");
    expect(zonedDayTime("2026-12-04", "00:30", "Asia/Shanghai").toISOString()).toBe("2026-12-03T16:30:00.000Z");
    expect(zonedDayTime("2026-12-03", "23:30", "UTC").toISOString()).toBe("2026-12-03T23:30:00.000Z");
  });
  it("follows daylight saving (Berlin: +1 h in winter, +2 h in summer)", () => {
    expect(zonedDayTime("2026-03-28", "12:00", "Europe/Berlin").toISOString()).toBe("2026-03-28T11:00:00.000Z");
    expect(zonedDayTime("2026-03-29", "12:00", "Europe/Berlin").toISOString()).toBe("2026-03-29T10:00:00.000Z");
  });
});
