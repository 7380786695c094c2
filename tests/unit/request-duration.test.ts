import { describe, expect, it } from "vitest";
import { durationProblem, endOfDayIn, latestEnd, permanentRefusal, type DurationFacts } from "@/lib/policy/duration";
import { RequestEndsAt } from "@/lib/requests/schemas";
import { endOfDay } from "@/lib/time/calendar";

const NOW = new Date("2026-03-10T09:30:00Z");
const settings = { maxDays: 365, maxSensitiveDays: 90, maxElevationHours: 72 };
const facts = (over: Partial<DurationFacts> = {}): DurationFacts => ({
  kind: "GRANT",
  employmentType: "EMPLOYEE",
  contractEndsOn: null,
  isSensitive: false,
  isAdministrative: false,
  settings,
  now: NOW,
  ...over,
});
const day = (iso: string) => RequestEndsAt.parse(iso)!;
const code = (f: DurationFacts, end: Date | null) => durationProblem(f, end)?.code ?? null;

describe("request end dates", () => {
  it("a calendar day means through that day in the portal's time zone (Asia/Shanghai); permanent is null", () => {
    expect(day("2026-03-31").toISOString()).toBe("2026-03-31T15:59:59.999Z");
    expect(endOfDay("2026-03-31", "UTC").toISOString()).toBe("2026-03-31T23:59:59.999Z");
    expect(endOfDay("2026-03-08", "America/New_York").toISOString()).toBe("2026-03-09T03:59:59.999Z");
    expect(RequestEndsAt.parse("2026-03-31T18:00:00+08:00")!.toISOString()).toBe("2026-03-31T10:00:00.000Z");
    expect(RequestEndsAt.parse("")).toBeNull();
    expect(RequestEndsAt.parse("permanent")).toBeNull();
    expect(RequestEndsAt.safeParse("2026-02-30").success).toBe(false);
    expect(RequestEndsAt.safeParse("next tuesday").success).toBe(false);
    expect(RequestEndsAt.safeParse(undefined).success).toBe(false);
  });
});

describe("permanent access", () => {
  it("allowed for employees on non-sensitive, non-administrative roles only", () => {
    expect(code(facts(), null)).toBeNull();
    expect(permanentRefusal(facts({ isSensitive: true }))).toBe("sensitive");
    expect(permanentRefusal(facts({ isAdministrative: true }))).toBe("administrative");
    expect(permanentRefusal(facts({ employmentType: "THIRD_PARTY" }))).toBe("thirdParty");
    expect(permanentRefusal(facts({ kind: "ELEVATION", employmentType: "THIRD_PARTY" }))).toBe("elevation");
    expect(durationProblem(facts({ isSensitive: true }), null)).toEqual({
      code: "REQUEST_PERMANENT_NOT_ALLOWED",
      field: "endsAt",
      params: { reason: "sensitive" },
    });
  });
});

describe("time limits", () => {
  it("an end already passed is refused", () => {
    expect(code(facts(), new Date(NOW.getTime() - 1))).toBe("DATE_IN_PAST");
    expect(code(facts(), NOW)).toBe("DATE_IN_PAST");
  });
  it("any end within maxDays whole days (through the last day)", () => {
    expect(code(facts(), day("2027-03-10"))).toBeNull();
    expect(durationProblem(facts(), day("2027-03-11"))).toEqual({ code: "REQUEST_TOO_LONG", field: "endsAt", params: { days: 365 } });
  });
  it("sensitive and administrative roles: at most maxSensitiveDays", () => {
    expect(code(facts({ isSensitive: true }), day("2026-06-08"))).toBeNull();
    expect(durationProblem(facts({ isSensitive: true }), day("2026-06-09"))).toMatchObject({
      code: "REQUEST_TOO_LONG",
      params: { days: 90 },
    });
    expect(code(facts({ isAdministrative: true }), day("2026-06-09"))).toBe("REQUEST_TOO_LONG");
    expect(endOfDayIn(NOW, 90).toISOString()).toBe("2026-06-08T15:59:59.999Z");
    // Days are counted from today where the portal is: 20:00 UTC on 10 March is already 11 March in Shanghai.
    expect(endOfDayIn(new Date("2026-03-10T20:00:00Z"), 90).toISOString()).toBe("2026-06-09T15:59:59.999Z");
    expect(endOfDayIn(new Date("2026-03-10T20:00:00Z"), 90, "UTC").toISOString()).toBe("2026-06-08T23:59:59.999Z");
  });
  it("third parties: never past their contract end (through its last day)", () => {
    const tp = facts({ employmentType: "THIRD_PARTY", contractEndsOn: new Date("2026-04-30T00:00:00Z") });
    expect(code(tp, day("2026-04-30"))).toBeNull();
    expect(durationProblem(tp, day("2026-05-01"))).toEqual({
      code: "REQUEST_PAST_CONTRACT_END",
      field: "endsAt",
      params: { date: "2026-04-30" },
    });
    expect(latestEnd(tp).toISOString()).toBe("2026-04-30T15:59:59.999Z");
    // Without a contract end, nothing can be granted.
    expect(code(facts({ employmentType: "THIRD_PARTY", contractEndsOn: null }), day("2026-03-11"))).toBe("REQUEST_PAST_CONTRACT_END");
  });
  it("the earliest limit binds: a sensitive role for a third party whose contract ends sooner", () => {
    const tp = facts({ employmentType: "THIRD_PARTY", isSensitive: true, contractEndsOn: new Date("2026-03-20T00:00:00Z") });
    expect(code(tp, day("2026-05-01"))).toBe("REQUEST_PAST_CONTRACT_END");
    const longContract = facts({ employmentType: "THIRD_PARTY", isSensitive: true, contractEndsOn: new Date("2027-12-31T00:00:00Z") });
    expect(code(longContract, day("2026-07-01"))).toBe("REQUEST_TOO_LONG");
  });
});

describe("R10 temporary elevation", () => {
  const tp = facts({
    kind: "ELEVATION",
    employmentType: "THIRD_PARTY",
    contractEndsOn: new Date("2026-12-31T00:00:00Z"),
    isAdministrative: true,
  });
  it("only for third parties", () => {
    expect(durationProblem(facts({ kind: "ELEVATION" }), new Date(NOW.getTime() + 3600_000))).toEqual({
      code: "REQUEST_ELEVATION_THIRD_PARTY_ONLY",
      field: "kind",
      params: {},
    });
  });
  it("at most maxElevationHours", () => {
    expect(code(tp, new Date(NOW.getTime() + 72 * 3600_000))).toBeNull();
    expect(durationProblem(tp, new Date(NOW.getTime() + 72 * 3600_000 + 1))).toMatchObject({
      code: "REQUEST_ELEVATION_TOO_LONG",
      params: { hours: 72 },
    });
    expect(latestEnd(tp).getTime()).toBe(NOW.getTime() + 72 * 3600_000);
  });
});
