import { describe, expect, it } from "vitest";
import { RosterFilter } from "@/lib/roster/queries";

describe("roster filter", () => {
  it("drops impossible dates instead of failing later", () => {
    expect(RosterFilter.parse({ asOf: "2026-13-45" }).asOf).toBeUndefined();
    expect(RosterFilter.parse({ asOf: "2026-02-30" }).asOf).toBeUndefined();
    expect(RosterFilter.parse({ asOf: "2026-02-28" }).asOf).toBe("2026-02-28");
  });
  it("drops unknown levels and malformed ids", () => {
    expect(RosterFilter.parse({ level: "NOPE", system: "x" })).toEqual({});
  });
});
