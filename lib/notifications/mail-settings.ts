import { MailEnvSchema } from "@/lib/env";

export type MailSettings = {
  // nodemailer transport options: a connection URL or host/port/auth.
  transport: string | { host: string; port: number; secure: boolean; auth?: { user: string; pass: string } };
  from: string;
  portalUrl: string;
};

const DEFAULT_FROM = "4A portal <no-reply@4a.local>";

/**
 * Outgoing mail as configured now, or null when it is not (then notifications stay in-app only).
 * Read from the environment on each call (a few variables; validated at boot by lib/env.ts).
 */
export function mailSettings(source: Record<string, string | undefined> = process.env): MailSettings | null {
  const parsed = MailEnvSchema.safeParse(source);
  if (!parsed.success) return null;
  const e = parsed.data;
  const from = e.SMTP_FROM ?? DEFAULT_FROM;
  const portalUrl = e.PORTAL_URL.replace(/\/+$/, "");
  if (e.SMTP_URL) return { transport: e.SMTP_URL, from, portalUrl };
  if (e.SMTP_HOST) {
    const secure = e.SMTP_SECURE ? e.SMTP_SECURE === "true" : e.SMTP_PORT === 465;
    return {
      transport: {
        host: e.SMTP_HOST,
        port: e.SMTP_PORT ?? (secure ? 465 : 587),
        secure,
        ...(e.SMTP_USER ? { auth: { user: e.SMTP_USER, pass: e.SMTP_PASS ?? "" } } : {}),
      },
      from,
      portalUrl,
    };
  }
  return null;
}
