import { describe, expect, it } from "vitest";
import { ReviewDefinitionInput, ReviewScope, DecideItemInput, BulkDecideItemsInput } from "@/lib/reviews/schemas";
import { spentSince } from "@/lib/reviews/decide";
import { addMonths } from "@/lib/reviews/start-campaign";
import { remediationOfRow } from "@/lib/reviews/remediation";

const base = { name: "Quarterly", scope: {}, stages: [{ strategy: "DEPARTMENT_HEAD" }], durationDays: 14 };
const issues = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  r.success ? [] : r.error!.issues.map((i) => `${i.path.join(".")}:${i.message}`);

describe("review definitions (issue 12 §1)", () => {
  it("defaults: keep ordinary items, end sensitive and third-party ones, apply at the end", () => {
    const d = ReviewDefinitionInput.parse(base);
    expect(d).toMatchObject({
      defaultDecision: "KEEP",
      riskyDefault: "END",
      applyImmediately: false,
      granularity: "GRANT",
      inactiveDays: 90,
    });
    expect(d.scope).toEqual({
      systemIds: [],
      sensitiveOnly: false,
      employmentType: "ANY",
      orgUnitId: null,
      includeOrphans: false,
      personIds: [],
    });
  });

  it("refuses contradictory scopes: orphans need systems and have no person to filter by", () => {
    expect(issues(ReviewScope.safeParse({ includeOrphans: true }))).toEqual(["includeOrphans:orphans-need-systems"]);
    expect(
      issues(
        ReviewScope.safeParse({ includeOrphans: true, systemIds: ["0196f3a0-0000-7000-8000-000000000001"], employmentType: "THIRD_PARTY" }),
      ),
    ).toEqual(["includeOrphans:orphans-contradict-person-scope"]);
  });

  it("refuses no stages, more than three, a named stage without people, reminders and escalation past the deadline", () => {
    expect(issues(ReviewDefinitionInput.safeParse({ ...base, stages: [] }))).toEqual(["stages:required"]);
    expect(issues(ReviewDefinitionInput.safeParse({ ...base, stages: Array(4).fill({ strategy: "SPONSOR" }) }))).toEqual([
      "stages:too-many",
    ]);
    expect(issues(ReviewDefinitionInput.safeParse({ ...base, stages: [{ strategy: "NAMED" }] }))).toEqual([
      "stages.0.reviewerIds:required",
    ]);
    expect(issues(ReviewDefinitionInput.safeParse({ ...base, durationDays: 3, remindDaysBefore: 3 }))).toEqual([
      "remindDaysBefore:reminder-after-start",
    ]);
    expect(issues(ReviewDefinitionInput.safeParse({ ...base, escalateAfterDays: 14 }))).toEqual([
      "escalateAfterDays:escalation-after-deadline",
    ]);
    expect(issues(ReviewDefinitionInput.safeParse({ ...base, durationDays: 0 }))).toContain("durationDays:too-small");
    expect(issues(ReviewDefinitionInput.safeParse({ ...base, name: "a\u0000b" })).length).toBe(1);
  });

  it("adds whole months for the next quarter, clamping the day", () => {
    expect(addMonths("2026-11-30", 3)).toBe("2027-02-28");
    expect(addMonths("2026-08-31", 6)).toBe("2027-02-28");
    expect(addMonths("2027-11-15", 3)).toBe("2028-02-15");
  });
});

describe("decisions (issue 12 §4)", () => {
  it("a shorten needs its new last day; a bulk decision needs items or a filter and one justification", () => {
    const itemId = "0196f3a0-0000-7000-8000-000000000001";
    expect(issues(DecideItemInput.safeParse({ itemId, decision: "SHORTEN" }))).toEqual(["newEndOn:required"]);
    expect(DecideItemInput.parse({ itemId, decision: "SHORTEN", newEndOn: "2027-01-31" }).newEndOn?.toISOString()).toBe(
      "2027-01-31T00:00:00.000Z",
    );
    expect(issues(BulkDecideItemsInput.safeParse({ campaignId: itemId, decision: "KEEP", comment: "fine" }))).toEqual(["itemIds:required"]);
    expect(issues(BulkDecideItemsInput.safeParse({ campaignId: itemId, decision: "END", filter: {}, comment: "" }))).toContain(
      "comment:required",
    );
  });

  it("time spent comes from the form's render time, clamped to a day, ignored when absent or in the future", () => {
    const now = new Date("2026-12-03T10:00:00Z");
    expect(spentSince("2026-12-03T09:59:50Z", now)).toBe(10_000);
    expect(spentSince("2026-11-01T00:00:00Z", now)).toBe(86_400_000);
    expect(spentSince("2026-12-03T10:00:05Z", now)).toBeNull();
    expect(spentSince("nonsense", now)).toBeNull();
    expect(spentSince(undefined, now)).toBeNull();
  });
});

describe("remediation (issue 12 §6)", () => {
  const row = {
    id: "x",
    apply_state: "APPLIED" as const,
    decision: "END",
    apply_error: null,
    revoked: true,
    rows: 1,
    delivered: 0,
    failed: 0,
    tasks: 0,
    tasks_open: 0,
    tasks_verified: 0,
    confirmed_at: null,
  };
  it("is remediated only when the system confirmed or reconciliation verified", () => {
    const at = new Date();
    expect(remediationOfRow(row).state).toBe("SENDING");
    expect(remediationOfRow({ ...row, delivered: 1, confirmed_at: at })).toEqual({ state: "REMEDIATED", at });
    expect(remediationOfRow({ ...row, failed: 1 }).state).toBe("DEAD_LETTERED");
    expect(remediationOfRow({ ...row, rows: 0 }).state).toBe("NOT_TRACKED");
    expect(remediationOfRow({ ...row, tasks: 1, tasks_open: 1 }).state).toBe("TASK_OPEN");
    expect(remediationOfRow({ ...row, tasks: 1 }).state).toBe("TASK_DONE");
    expect(remediationOfRow({ ...row, tasks: 1, tasks_verified: 1, confirmed_at: at })).toEqual({ state: "REMEDIATED", at });
    expect(remediationOfRow({ ...row, decision: "SHORTEN", revoked: false }).state).toBe("SCHEDULED");
    expect(remediationOfRow({ ...row, apply_error: "already-ended" }).state).toBe("NOTHING_TO_SEND");
    expect(remediationOfRow({ ...row, decision: "KEEP" }).state).toBe("NONE");
    expect(remediationOfRow({ ...row, apply_state: "PENDING" }).state).toBe("NONE");
  });
});
