import { describe, expect, it } from "vitest";
import { messagesFor } from "@/i18n/messages";
import { BUILT_IN_SCENARIOS, builtInDescriptionKey } from "@/lib/vault/built-in";

type Tree = { [key: string]: string | Tree };
const at = (tree: Tree, path: string) =>
  path.split(".").reduce<string | Tree | undefined>((t, k) => (typeof t === "object" ? t[k] : undefined), tree);

describe("built-in vault scenarios' descriptions (issue 9 §5)", () => {
  it("are shown from the messages in the reader's language while the portal's own text is stored", () => {
    for (const s of BUILT_IN_SCENARIOS) {
      const key = builtInDescriptionKey(s.code, s.description);
      expect(key).toBe(s.messageKey);
      expect(builtInDescriptionKey(s.code, null)).toBe(s.messageKey);
      const zh = at(messagesFor("zh-CN") as Tree, `vault.admin.builtInDescriptions.${key}`);
      const en = at(messagesFor("en") as Tree, `vault.admin.builtInDescriptions.${key}`);
      expect(en).toBe(s.description);
      expect(typeof zh).toBe("string");
      expect(zh).toMatch(/[\u4e00-\u9fff]/);
      expect(zh as string).not.toMatch(/[A-Za-z]{4,}/);
    }
  });

  it("an officer's own description is shown as written; other scenarios are not built-in", () => {
    expect(builtInDescriptionKey(BUILT_IN_SCENARIOS[0]!.code, "我们自己的说明")).toBeNull();
    expect(builtInDescriptionKey("CRM:bulk-export", null)).toBeNull();
  });
});
