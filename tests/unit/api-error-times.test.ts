import { describe, expect, it } from "vitest";
import { DomainError } from "@/lib/errors";
import { errorResponse } from "@/lib/http/api";
import { isoInZone } from "@/lib/time/calendar";

// 17:15 UTC on 2 December is 01:15 on 3 December in Beijing, the portal's default zone (issue 9 §5).
const WHEN = Date.parse("2026-12-02T17:15:00Z");

describe("API error times are the portal's time zone", () => {
  it("the message shows the portal's day and time; the JSON field is ISO 8601 with the portal's offset", () => {
    const error = new DomainError("REQUEST_ALREADY_DECIDED", { params: { who: "张伟 (E0002)", when: WHEN } });
    const en = errorResponse(error, "en", "req-1").body as { error: { message: string; details?: Record<string, unknown> } };
    expect(en.error.message).toContain("Dec 3, 2026");
    expect(en.error.message).toContain("1:15");
    expect(en.error.message).not.toContain("5:15");
    expect(en.error.details?.when).toBe("2026-12-03T01:15:00.000+08:00");
    const zh = errorResponse(error, "zh-CN", "req-2").body as { error: { message: string } };
    expect(zh.error.message).toContain("2026年12月3日");
  });

  it("isoInZone writes the zone's offset, also across daylight saving", () => {
    expect(isoInZone(new Date(WHEN), "Asia/Shanghai")).toBe("2026-12-03T01:15:00.000+08:00");
    expect(isoInZone(new Date("2026-07-01T10:00:00.250Z"), "Europe/Berlin")).toBe("2026-07-01T12:00:00.250+02:00");
    expect(isoInZone(new Date("2026-01-01T10:00:00Z"), "America/New_York")).toBe("2026-01-01T05:00:00.000-05:00");
    expect(isoInZone(new Date("2026-01-01T10:00:00Z"), "UTC")).toBe("2026-01-01T10:00:00.000+00:00");
  });
});
