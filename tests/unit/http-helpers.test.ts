import { describe, expect, it } from "vitest";
import { csvCell } from "@/lib/csv";
import { zonedMidnight } from "@/lib/time/calendar";
import { decodeCursor, encodeCursor } from "@/lib/http/cursor";
import { localeFromAcceptLanguage } from "@/i18n/config";

describe("csvCell", () => {
  it("quotes commas, quotes and newlines", () => {
    expect(csvCell('a,"b"\nc')).toBe('"a,""b""\nc"');
  });
  it("neutralises spreadsheet formulas", () => {
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
  });
  it("writes Chinese text as is and JSON for objects", () => {
    expect(csvCell("帐号管理")).toBe("帐号管理");
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(12n)).toBe("12");
  });
});

describe("cursors", () => {
  const guard = (v: unknown): v is { id: string } => typeof v === "object" && v !== null && typeof (v as { id: unknown }).id === "string";
  it("round-trip", () => {
    expect(decodeCursor(encodeCursor({ id: "x" }), guard)).toEqual({ id: "x" });
  });
  it("turn garbage into the first page", () => {
    for (const bad of ["", "%%%", "eyJ", "x".repeat(2000), encodeCursor({ nope: 1 })]) expect(decodeCursor(bad, guard)).toBeNull();
  });
});

describe("zonedMidnight", () => {
  it("finds midnight in Shanghai (UTC+8)", () => {
    expect(zonedMidnight("2026-11-21", "Asia/Shanghai").toISOString()).toBe("2026-11-20T16:00:00.000Z");
  });
  it("is UTC midnight in UTC", () => {
    expect(zonedMidnight("2026-11-21", "UTC").toISOString()).toBe("2026-11-21T00:00:00.000Z");
  });
});

describe("locale negotiation", () => {
  it("maps any Chinese variant to zh-CN and English to en", () => {
    expect(localeFromAcceptLanguage("zh-TW,zh;q=0.9")).toBe("zh-CN");
    expect(localeFromAcceptLanguage("en-US,en;q=0.9,zh-CN;q=0.8")).toBe("en");
    expect(localeFromAcceptLanguage("fr-FR,en;q=0.5")).toBe("en");
  });
  it("honours q-values and defaults to zh-CN", () => {
    expect(localeFromAcceptLanguage("en;q=0.1,zh;q=0.9")).toBe("zh-CN");
    expect(localeFromAcceptLanguage(null)).toBe("zh-CN");
    expect(localeFromAcceptLanguage("de")).toBe("zh-CN");
  });
});
