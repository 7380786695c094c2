// Pure rules of notification e-mail and server push: SMTP settings from the environment, the retry
// schedule, pg_notify payload chunking.
import { describe, expect, it } from "vitest";
import { mailSettings } from "@/lib/notifications/mail-settings";
import { MAX_EMAIL_ATTEMPTS, retryDelayMs } from "@/lib/notifications/deliver-email";
import { eventPayloads } from "@/lib/events/publish";

describe("mailSettings", () => {
  it("is off without SMTP_URL or SMTP_HOST", () => {
    expect(mailSettings({})).toBeNull();
  });
  it("takes SMTP_URL as is, with the default sender and portal address", () => {
    expect(mailSettings({ SMTP_URL: "smtp://u:p@mail.example:587" })).toEqual({
      transport: "smtp://u:p@mail.example:587",
      from: "4A portal <no-reply@4a.local>",
      portalUrl: "http://localhost:3000",
    });
  });
  it("builds host settings: 465 means TLS, auth only with a user, trailing slash of PORTAL_URL dropped", () => {
    expect(
      mailSettings({ SMTP_HOST: "mail.example", SMTP_PORT: "465", SMTP_FROM: "Portal <p@x.example>", PORTAL_URL: "https://4a.example/" }),
    ).toEqual({
      transport: { host: "mail.example", port: 465, secure: true },
      from: "Portal <p@x.example>",
      portalUrl: "https://4a.example",
    });
    expect(mailSettings({ SMTP_HOST: "mail.example", SMTP_USER: "u", SMTP_PASS: "p", SMTP_SECURE: "false" })?.transport).toEqual({
      host: "mail.example",
      port: 587,
      secure: false,
      auth: { user: "u", pass: "p" },
    });
  });
  it("treats invalid settings as off (boot validation reports them)", () => {
    expect(mailSettings({ SMTP_URL: "http://not-smtp" })).toBeNull();
    expect(mailSettings({ SMTP_HOST: "h", SMTP_PORT: "99999" })).toBeNull();
  });
});

describe("retry schedule", () => {
  it("backs off 1, 5, 25 minutes, then caps at 6 hours", () => {
    expect([1, 2, 3].map(retryDelayMs)).toEqual([60_000, 300_000, 1_500_000]);
    expect(retryDelayMs(10)).toBe(6 * 3_600_000);
    expect(MAX_EMAIL_ATTEMPTS).toBeGreaterThan(3);
  });
});

describe("event payloads", () => {
  it("split many recipients into payloads under PostgreSQL's 8000-byte NOTIFY limit", () => {
    const topics = Array.from({ length: 250 }, (_, i) => `person:00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
    const payloads = eventPayloads({ type: "notifications", topics });
    expect(payloads).toHaveLength(3);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThan(8000);
    expect(payloads.flatMap((p) => JSON.parse(p).topics)).toEqual(topics);
    expect(eventPayloads({ type: "notifications", topics: [] })).toEqual([]);
  });
});
