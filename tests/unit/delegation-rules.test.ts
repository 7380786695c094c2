import { describe, expect, it } from "vitest";
import { DomainError } from "@/lib/errors";
import {
  MAX_DELEGATION_DAYS,
  canDelegate,
  delegateIneligibility,
  delegationRoleConflict,
  delegationWindow,
  rangesOverlap,
} from "@/lib/delegation/rules";
import { dayIn, zonedMidnight } from "@/lib/time/calendar";
import { CreateDelegationInput } from "@/lib/delegation/schemas";

const TZ = "Asia/Shanghai";
// 2026-03-10 10:00 in Shanghai.
const NOW = new Date("2026-03-10T02:00:00Z");

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof DomainError ? `${e.code}:${e.field ?? ""}` : String(e);
  }
  return undefined;
}

describe("delegationWindow", () => {
  it("covers whole days in the portal's time zone, starting now when the first day is today", () => {
    expect(delegationWindow("2026-03-10", "2026-03-12", TZ, NOW)).toEqual({ startsAt: NOW, endsAt: new Date("2026-03-12T16:00:00Z") });
    expect(delegationWindow("2026-03-11", "2026-03-11", TZ, NOW)).toEqual({
      startsAt: new Date("2026-03-10T16:00:00Z"),
      endsAt: new Date("2026-03-11T16:00:00Z"),
    });
  });
  it("uses the zone's calendar: just after midnight in Shanghai is already the next day", () => {
    const justAfter = new Date("2026-03-10T16:30:00Z"); // 00:30 on the 11th in Shanghai
    expect(dayIn(justAfter, TZ)).toBe("2026-03-11");
    expect(codeOf(() => delegationWindow("2026-03-10", "2026-03-12", TZ, justAfter))).toBe("DATE_IN_PAST:startsOn");
    expect(delegationWindow("2026-03-11", "2026-03-11", TZ, justAfter).startsAt).toEqual(justAfter);
  });
  it("refuses a past first day, an end before the start, and more than the maximum", () => {
    expect(codeOf(() => delegationWindow("2026-03-09", "2026-03-12", TZ, NOW))).toBe("DATE_IN_PAST:startsOn");
    expect(codeOf(() => delegationWindow("2026-03-12", "2026-03-11", TZ, NOW))).toBe("VALIDATION:endsOn");
    const last = new Date(new Date("2026-03-10T00:00:00Z").getTime() + (MAX_DELEGATION_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
    const oneMore = new Date(new Date(`${last}T00:00:00Z`).getTime() + 86_400_000).toISOString().slice(0, 10);
    expect(codeOf(() => delegationWindow("2026-03-10", last, TZ, NOW))).toBeUndefined();
    expect(codeOf(() => delegationWindow("2026-03-10", oneMore, TZ, NOW))).toBe("DELEGATION_TOO_LONG:endsOn");
  });
  it("handles zones with daylight saving (the day is 23 hours long)", () => {
    // Berlin moves to summer time on 2026-03-29.
    const start = zonedMidnight("2026-03-29", "Europe/Berlin");
    const end = zonedMidnight("2026-03-30", "Europe/Berlin");
    expect(start.toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(end.getTime() - start.getTime()).toBe(23 * 3_600_000);
  });
});

describe("rangesOverlap", () => {
  const r = (a: string, b: string) => ({ startsAt: new Date(a), endsAt: new Date(b) });
  it("treats ranges as half-open", () => {
    expect(rangesOverlap(r("2026-01-01", "2026-01-05"), r("2026-01-04", "2026-01-08"))).toBe(true);
    expect(rangesOverlap(r("2026-01-01", "2026-01-05"), r("2026-01-05", "2026-01-08"))).toBe(false);
    expect(rangesOverlap(r("2026-01-01", "2026-01-10"), r("2026-01-03", "2026-01-04"))).toBe(true);
    expect(rangesOverlap(r("2026-01-06", "2026-01-10"), r("2026-01-01", "2026-01-05"))).toBe(false);
  });
});

describe("canDelegate", () => {
  const none = { roles: [], isOrgUnitHead: false, isSponsor: false, hasOpenApprovals: false } as const;
  it("is for people who can be asked to approve", () => {
    expect(canDelegate(none)).toBe(false);
    expect(canDelegate({ ...none, roles: ["HR"] })).toBe(false);
    expect(canDelegate({ ...none, roles: ["SYSTEM_ADMIN"] })).toBe(false);
    expect(canDelegate({ ...none, roles: ["APPROVER"] })).toBe(true);
    expect(canDelegate({ ...none, roles: ["ACCOUNT_ADMIN"] })).toBe(true);
    expect(canDelegate({ ...none, roles: ["SECURITY_OFFICER"] })).toBe(true);
    expect(canDelegate({ ...none, isOrgUnitHead: true })).toBe(true);
    expect(canDelegate({ ...none, isSponsor: true })).toBe(true);
    expect(canDelegate({ ...none, hasOpenApprovals: true })).toBe(true);
  });
});

describe("delegationRoleConflict", () => {
  it("refuses security approvals to an account or system administrator, and the other way round", () => {
    expect(delegationRoleConflict(["SECURITY_OFFICER"], ["ACCOUNT_ADMIN"])).toEqual({ held: "ACCOUNT_ADMIN", wanted: "SECURITY_OFFICER" });
    expect(delegationRoleConflict(["SECURITY_OFFICER"], ["SYSTEM_ADMIN"])).toEqual({ held: "SYSTEM_ADMIN", wanted: "SECURITY_OFFICER" });
    expect(delegationRoleConflict(["ACCOUNT_ADMIN"], ["SECURITY_OFFICER"])).toEqual({ held: "SECURITY_OFFICER", wanted: "ACCOUNT_ADMIN" });
  });
  it("allows compatible pairs and ignores roles that do not approve", () => {
    expect(delegationRoleConflict(["APPROVER"], ["SECURITY_OFFICER"])).toBeNull();
    expect(delegationRoleConflict(["SECURITY_OFFICER"], ["APPROVER", "HR"])).toBeNull();
    expect(delegationRoleConflict(["SYSTEM_ADMIN", "APPROVER"], ["SECURITY_OFFICER"])).toBeNull();
    expect(delegationRoleConflict([], ["ACCOUNT_ADMIN"])).toBeNull();
  });
});

describe("delegateIneligibility", () => {
  const ok = { id: "b", status: "ACTIVE", employmentType: "EMPLOYEE", accountStatus: "ACTIVE" } as const;
  it("names why a person cannot receive approvals", () => {
    expect(delegateIneligibility("a", ok)).toBeNull();
    expect(delegateIneligibility("b", ok)).toBe("self");
    expect(delegateIneligibility("a", { ...ok, status: "SUSPENDED" })).toBe("inactive");
    expect(delegateIneligibility("a", { ...ok, status: "LEFT" })).toBe("inactive");
    expect(delegateIneligibility("a", { ...ok, accountStatus: "DISABLED" })).toBe("noAccount");
    expect(delegateIneligibility("a", { ...ok, accountStatus: "LOCKED" })).toBe("noAccount");
    expect(delegateIneligibility("a", { ...ok, accountStatus: null })).toBe("noAccount");
    expect(delegateIneligibility("a", { ...ok, employmentType: "THIRD_PARTY" })).toBe("thirdParty");
  });
});

describe("CreateDelegationInput", () => {
  const base = { delegateEmployeeNo: "E0100", startsOn: "2026-03-10", endsOn: "2026-03-12", reason: "Annual leave" };
  it("accepts a form and defaults the time zone", () => {
    expect(CreateDelegationInput.parse({ ...base, delegatorEmployeeNo: "" })).toMatchObject({
      delegatorEmployeeNo: undefined,
      timeZone: expect.any(String),
    });
  });
  it("refuses days that do not exist, bad employee numbers, bad zones and a missing reason", () => {
    const bad = (extra: object) => CreateDelegationInput.safeParse({ ...base, ...extra }).success;
    expect(bad({ startsOn: "2026-02-30" })).toBe(false);
    expect(bad({ endsOn: "10/03/2026" })).toBe(false);
    expect(bad({ delegateEmployeeNo: "E 1; drop" })).toBe(false);
    expect(bad({ timeZone: "Mars/Olympus" })).toBe(false);
    expect(bad({ reason: " " })).toBe(false);
    expect(bad({})).toBe(true);
  });
});
