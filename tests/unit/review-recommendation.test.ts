import { createFormatter, createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { messagesFor } from "@/i18n/messages";
import { RECOMMENDATIONS } from "@/lib/reviews/schemas";
import { recommendationReason } from "@/components/reviews/inbox/recommendation";

// Every recommendation's reason reads as a sentence in both languages, its parameters filled in
// (issue 12 §4: recommendations with their reason shown).
describe("review recommendation reasons", () => {
  const params: Record<string, Record<string, string | number | null>> = {
    LEAVER: { status: "LEFT" },
    MOVER: { movedAt: "2026-11-02T03:00:00.000Z" },
    CONTRACT_ENDING: { contractEndsOn: "2026-12-20" },
    NO_SIGN_IN: { days: 90, lastLoginAt: "2026-05-01T08:00:00.000Z" },
  };
  for (const locale of ["en", "zh-CN"] as const) {
    it(`in ${locale}: every code, no placeholders left`, () => {
      const messages = messagesFor(locale);
      const t = createTranslator({ locale, messages, namespace: "reviewsInbox" });
      const format = createFormatter({ locale, timeZone: "Asia/Shanghai" });
      for (const code of RECOMMENDATIONS) {
        const text = recommendationReason(t as never, format, code, params[code] ?? null);
        expect(text, code).not.toMatch(/[{}]|reviewsInbox\./);
        expect(text.length, code).toBeGreaterThan(4);
      }
      expect(recommendationReason(t as never, format, "NO_SIGN_IN", params.NO_SIGN_IN!)).toContain("90");
      expect(recommendationReason(t as never, format, "CONTRACT_ENDING", params.CONTRACT_ENDING!)).toMatch(/20/);
      // A leaver's status in the reader's language.
      const tStatus = createTranslator({ locale, messages, namespace: "people.statuses" }) as unknown as (key: string) => string;
      expect(recommendationReason(t as never, format, "LEAVER", params.LEAVER!, (v) => tStatus(v))).toContain(tStatus("LEFT"));
      // Never signed in: said so, not an empty date.
      expect(recommendationReason(t as never, format, "NO_SIGN_IN", { days: 30, lastLoginAt: null })).toContain(t("recommendations.never"));
    });
  }
});
