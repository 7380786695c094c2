import { describe, expect, it } from "vitest";
import { formatDateTime, parseDateTime, parseDay } from "@/lib/imports/wall-clock";
import { parseAccountStatus } from "@/lib/imports/account-import";

const SH = "Asia/Shanghai";
const iso = (text: string, tz = SH) => parseDateTime(text, tz)?.toISOString() ?? null;

describe("parseDateTime: what Chinese office software writes", () => {
  it("reads the usual spellings as Shanghai wall-clock time", () => {
    for (const text of [
      "2026/11/3 8:05",
      "2026-11-03 08:05:00",
      "2026-11-03 08:05",
      "2026.11.3 8:05",
      "2026年11月3日 8:05",
      "2026年11月3日 8时5分",
      "2026年11月3日 8时5分0秒",
      "2026/11/3 上午 8:05",
      "2026/11/3 8:05 AM",
      "2026-11-03T08:05:00",
      "２０２６/１１/３ ８:０５", // full-width digits (NFKC)
      "  2026/11/3   8:05  ",
    ])
      expect(iso(text), text).toBe("2026-11-03T00:05:00.000Z");
    expect(iso("2026/11/3 下午 8:05")).toBe("2026-11-03T12:05:00.000Z");
    expect(iso("2026/11/3 下午 12:30")).toBe("2026-11-03T04:30:00.000Z");
    expect(iso("2026/11/3 上午 12:30")).toBe("2026-11-02T16:30:00.000Z");
    expect(iso("2026-11-03 08:05:00.250")).toBe("2026-11-03T00:05:00.250Z");
    expect(iso("2026/11/3")).toBe("2026-11-02T16:00:00.000Z");
  });

  it("reads Excel serial numbers (days since 1899-12-30) as wall-clock time", () => {
    expect(iso("46329")).toBe("2026-11-02T16:00:00.000Z"); // 2026-11-03 00:00 in Shanghai
    expect(iso("46329.336805555555")).toBe("2026-11-03T00:05:00.000Z");
    expect(iso("123")).toBeNull(); // not a plausible date
    expect(iso("99999")).toBeNull();
  });

  it("takes an explicit offset as it is", () => {
    expect(iso("2026-11-03T00:05:00Z")).toBe("2026-11-03T00:05:00.000Z");
    expect(iso("2026-11-03 08:05:00+08:00")).toBe("2026-11-03T00:05:00.000Z");
    expect(iso("2026-11-03T08:05:00+0800")).toBe("2026-11-03T00:05:00.000Z");
  });

  it("uses the time zone given, daylight saving included", () => {
    expect(iso("2026-07-01 12:00", "Europe/Berlin")).toBe("2026-07-01T10:00:00.000Z");
    expect(iso("2026-01-01 12:00", "Europe/Berlin")).toBe("2026-01-01T11:00:00.000Z");
    expect(iso("2026-11-03 08:05", "UTC")).toBe("2026-11-03T08:05:00.000Z");
  });

  it("refuses what is not a date and time", () => {
    for (const text of [
      "",
      "昨天",
      "2026-13-01 08:00",
      "2026-02-30",
      "2026-11-03 24:00",
      "2026-11-03 08:60",
      "11/3/2026 8:05",
      "2026/11/3 下午 13:05",
      "2026-11-03 8",
      "=NOW()",
    ])
      expect(iso(text), text).toBeNull();
    expect(iso("2028-02-29")).not.toBeNull(); // a leap year
  });

  it("writes back what it reads (the exports' form)", () => {
    const t = parseDateTime("2026/11/3 8:05", SH)!;
    expect(formatDateTime(t, SH)).toBe("2026-11-03 08:05:00");
    expect(parseDateTime(formatDateTime(t, SH), SH)?.getTime()).toBe(t.getTime());
  });
});

describe("parseDay", () => {
  it("reads a day in the usual spellings, an Excel serial, and refuses times and nonsense", () => {
    for (const text of ["2027-06-30", "2027/6/30", "2027.6.30", "2027年6月30日", "46568", "2027-06-30 00:00:00"])
      expect(parseDay(text), text).toBe("2027-06-30");
    for (const text of ["", "2027-06-31", "2027-06-30 08:00", "30/6/2027", "下个月"]) expect(parseDay(text), text).toBeNull();
  });
});

describe("parseAccountStatus", () => {
  it("knows the codes, the export's Chinese labels and what business systems write", () => {
    expect(["正常", "ACTIVE", "active", "启用", "有效"].map(parseAccountStatus)).toEqual(Array(5).fill("ACTIVE"));
    expect(["锁定", "LOCKED", "已锁定", "冻结"].map(parseAccountStatus)).toEqual(Array(4).fill("LOCKED"));
    expect(["停用", "DISABLED", "禁用", "已停用"].map(parseAccountStatus)).toEqual(Array(4).fill("DISABLED"));
    expect(["DELETED", "已删除", "休眠", ""].map(parseAccountStatus)).toEqual([null, null, null, null]);
  });
});
