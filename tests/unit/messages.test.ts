import { describe, expect, it } from "vitest";
import { createTranslator } from "next-intl";
import { FRAGMENTS, messagesFor, mergeMessages } from "@/i18n/messages";
import { AUDIT_ACTIONS, AUDIT_TARGET_TYPES } from "@/lib/audit/events";
import { ERROR_STATUS } from "@/lib/errors";
import { NAVIGATION } from "@/lib/authz/navigation";

function keys(o: object, prefix = ""): string[] {
  return Object.entries(o).flatMap(([k, v]) => (v && typeof v === "object" ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

// The merged messages (messages/<locale>.json + messages/<locale>/*.json), loosely typed for lookups.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const en = messagesFor("en") as any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const zh = messagesFor("zh-CN") as any;

describe("messages", () => {
  it("have the same fragments in both languages", () => {
    expect(Object.keys(FRAGMENTS["zh-CN"]).sort()).toEqual(Object.keys(FRAGMENTS.en).sort());
  });
  it("refuse a key defined in two fragments", () => {
    expect(() => mergeMessages({ a: { x: { y: "1" } }, b: { x: { y: "2" } } })).toThrow(/x\.y/);
    expect(mergeMessages({ a: { x: { y: "1" } }, b: { x: { z: "2" } } })).toEqual({ x: { y: "1", z: "2" } });
  });
  it("have the same keys in zh-CN and en", () => {
    expect(keys(zh).sort()).toEqual(keys(en).sort());
  });
  it("have no empty strings", () => {
    for (const m of [en, zh])
      for (const k of keys(m)) expect(k.split(".").reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], m)).not.toBe("");
  });
  it("all parse as ICU messages in next-intl (e.g. no '-' in a select key, no stray apostrophe before a brace)", () => {
    for (const [locale, messages] of [
      ["en", en],
      ["zh-CN", zh],
    ] as const) {
      const invalid: string[] = [];
      let current = "";
      const t = createTranslator({ locale, messages, onError: (e) => void (e.code === "INVALID_MESSAGE" && invalid.push(current)) });
      // Any argument a message asks for exists (a string), so only a message that cannot be parsed fails.
      const values = new Proxy({}, { get: () => "x", has: () => true });
      for (const key of keys(messages)) {
        current = key;
        try {
          (t as (k: string, v: object) => string)(key, values);
        } catch {
          // A formatting error on a dummy value (e.g. a date argument) is not what this test is about.
        }
      }
      expect(invalid, locale).toEqual([]);
    }
  });
  it("translate every audit action and target type", () => {
    for (const a of AUDIT_ACTIONS) expect(en.audit.actions).toHaveProperty(a.split("."));
    for (const t of AUDIT_TARGET_TYPES) expect(en.audit.targets).toHaveProperty([t]);
  });
  it("translate every error code and navigation item", () => {
    for (const code of Object.keys(ERROR_STATUS)) expect(en.errors).toHaveProperty([code]);
    for (const item of NAVIGATION) expect(en.shell.nav).toHaveProperty([item.key]);
    // The home page describes every area the navigation leads to.
    for (const item of NAVIGATION.filter((n) => n.href !== "/")) expect(en.home.areas, item.key).toHaveProperty([item.key]);
  });
});
