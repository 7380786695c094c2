import { describe, expect, it } from "vitest";
import { describeSummary, spellKey } from "@/lib/audit/describe";
import { messagesFor } from "@/i18n/messages";

describe("audit summaries read as facts, not JSON (issue 9 §5)", () => {
  it("turns before/after into 'field: old → new', id lists into counts, and keeps at most six facts", () => {
    expect(
      describeSummary({
        employeeNo: "E0130",
        before: { status: "ACTIVE" },
        after: { status: "LEFT" },
        sessionsEnded: 2,
        grantIds: ["a", "b", "c", "d"],
        personId: "0190a000-0000-7000-8000-000000000000",
      }),
    ).toEqual([
      { key: "status", value: "ACTIVE → LEFT" },
      { key: "employeeNo", value: "E0130" },
      { key: "sessionsEnded", value: "2" },
      { key: "grantIds", value: "×4" },
    ]);
    expect(describeSummary({ mfa: "totp" })).toEqual([{ key: "mfa", value: "totp" }]);
    expect(describeSummary({ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7 })).toHaveLength(6);
    expect(describeSummary(null)).toEqual([]);
    expect(describeSummary({ note: "x".repeat(500) })[0]!.value.length).toBeLessThanOrEqual(60);
    expect(spellKey("slaveAccountsChanged")).toBe("slave accounts changed");
  });

  it("has the same field labels in both languages", () => {
    const en = (messagesFor("en") as { audit: { fields: Record<string, string> } }).audit.fields;
    const zh = (messagesFor("zh-CN") as { audit: { fields: Record<string, string> } }).audit.fields;
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });
});
