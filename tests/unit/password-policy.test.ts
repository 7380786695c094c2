import { describe, expect, it } from "vitest";
import { characterClasses, checkPassword, isPasswordExpired } from "@/lib/auth/password-policy";

describe("modern profile", () => {
  it("accepts a long uncommon passphrase", () => {
    expect(checkPassword("modern", "correct horse battery staple")).toEqual([]);
  });
  it("refuses passwords shorter than 12 characters", () => {
    expect(checkPassword("modern", "Abc!23456xy")).toContain("too-short");
  });
  it("counts characters, not UTF-16 units (Chinese and emoji)", () => {
    expect(checkPassword("modern", "帐号管理帐号管理帐号管理")).toEqual([]);
    expect(checkPassword("modern", "🔐🔐🔐🔐🔐🔐")).toContain("too-short");
  });
  it("refuses common passwords whatever their length", () => {
    expect(checkPassword("modern", "password1234")).toContain("common");
    expect(checkPassword("modern", "PASSWORD1234")).toContain("common");
  });
  it("refuses passwords containing the person's identity", () => {
    expect(checkPassword("modern", "my-E1001-is-great!", ["E1001", "张三"])).toContain("contains-identity");
  });
  it("never forces rotation", () => {
    expect(isPasswordExpired("modern", new Date("2000-01-01"))).toBe(false);
  });
  it("refuses absurdly long input", () => {
    expect(checkPassword("modern", "x".repeat(10_000))).toContain("too-long");
  });
});

describe("operator profile", () => {
  it("requires 3 of 4 character classes", () => {
    expect(checkPassword("operator", "abcdefgh1")).toContain("character-classes");
    expect(checkPassword("operator", "Abcdefg1x")).toEqual([]);
  });
  it("accepts 8 characters", () => {
    expect(checkPassword("operator", "Zq7!kLmn")).toEqual([]);
    expect(checkPassword("operator", "Zq7!kLm")).toContain("too-short");
  });
  it("expires passwords after 90 days", () => {
    const now = new Date("2026-06-01T00:00:00Z");
    expect(isPasswordExpired("operator", new Date("2026-03-01T00:00:00Z"), now)).toBe(true);
    expect(isPasswordExpired("operator", new Date("2026-05-01T00:00:00Z"), now)).toBe(false);
    expect(isPasswordExpired("operator", null, now)).toBe(true);
  });
  it("counts character classes", () => {
    expect(characterClasses("aA1!")).toBe(4);
    expect(characterClasses("aaaa")).toBe(1);
  });
});
