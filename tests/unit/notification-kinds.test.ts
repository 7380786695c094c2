// Every notification kind (lib/notifications/kinds.ts) must read well in both languages, in the inbox and
// in e-mail: notifications.kinds.<kind>.title and .body, in zh-CN and en. The failure lists what is missing.
import { describe, expect, it } from "vitest";
import { LOCALES } from "@/i18n/config";
import { lookupMessage } from "@/i18n/messages";
import { NOTIFICATION_KINDS } from "@/lib/notifications/kinds";
import { renderEmail, renderNotification } from "@/lib/notifications/render";

describe("notification kinds", () => {
  it("have a title and a body in zh-CN and en", () => {
    const missing = LOCALES.flatMap((locale) =>
      NOTIFICATION_KINDS.flatMap((kind) =>
        (["title", "body"] as const)
          .filter((part) => !lookupMessage(locale, `notifications.kinds.${kind}.${part}`))
          .map((part) => `${locale}: notifications.kinds.${kind}.${part}`),
      ),
    );
    expect(missing, `missing translations:\n${missing.join("\n")}`).toEqual([]);
  });

  it("use no dots in kind names (next-intl keys cannot contain them)", () => {
    expect(NOTIFICATION_KINDS.filter((k) => k.includes("."))).toEqual([]);
  });

  it("render with their parameters, and an unknown kind falls back to its name instead of failing", () => {
    const zh = renderNotification("zh-CN", "vault-prompt", {
      operator: "陈静 (E0005)",
      scenario: "查看完整个人信息",
      target: "赵磊 (E0100)",
    });
    expect(zh.title).toContain("金库");
    expect(zh.body).toContain("陈静 (E0005)");
    const en = renderNotification("en", "vault-prompt", {
      operator: "Chen Jing (E0005)",
      scenario: "查看完整个人信息",
      scenarioEn: "Reveal full personal data",
      target: "Zhao Lei (E0100)",
    });
    expect(en.body).toBe(
      'Chen Jing (E0005) asks you to approve "Reveal full personal data" on Zhao Lei (E0100). Open the portal to approve or reject it now.',
    );
    expect(renderNotification("en", "no-such-kind", {})).toEqual({ title: "no-such-kind", body: "" });
    expect(renderNotification("fr", "vault-prompt", { operator: "x", scenario: "y", target: "z" }).title).toBe(zh.title);
  });

  it("render e-mails with an absolute link to the portal page and escape HTML", () => {
    const mail = renderEmail(
      "en",
      "vault-decided",
      { outcome: "APPROVED", scenario: "<b>x</b>", scenarioEn: "<b>x</b>", target: "t", approver: "a" },
      "/vault/123",
      "https://portal.example",
    );
    expect(mail.subject).toContain("4A");
    expect(mail.text).toContain("https://portal.example/vault/123");
    expect(mail.html).toContain("&lt;b&gt;x&lt;/b&gt;");
    expect(mail.html).not.toContain("<b>x</b>");
  });
});
