import nodemailer, { type Transporter } from "nodemailer";
import { decryptSecret, isCiphertext } from "@/lib/crypto";
import { getDb } from "@/lib/db";
import { log } from "@/lib/log";
import { mailSettings, type MailSettings } from "./mail-settings";
import { renderEmail, type NotificationParams } from "./render";

export const MAX_EMAIL_ATTEMPTS = 6;
// While a process sends a claimed e-mail, others leave it alone; a process that dies mid-send frees it
// after this long (the e-mail may then go out twice: delivery is at least once).
const CLAIM_LEASE_MS = 5 * 60_000;

/** Wait before attempt n+1 after n failed ones: 1 min, 5 min, 25 min, 2 h, 6 h (capped). */
export function retryDelayMs(failedAttempts: number): number {
  return Math.min(60_000 * 5 ** Math.max(0, failedAttempts - 1), 6 * 3_600_000);
}

type Claimed = {
  id: string;
  to_address: string;
  locale: string;
  kind: string;
  params: NotificationParams;
  link: string | null;
  attempts: number;
};

let cachedTransport: { key: string; transport: Transporter } | null = null;

function transportFor(settings: MailSettings): Transporter {
  const key = JSON.stringify(settings.transport);
  if (cachedTransport?.key !== key) {
    cachedTransport?.transport.close();
    cachedTransport = { key, transport: nodemailer.createTransport(settings.transport as never) };
  }
  return cachedTransport.transport;
}

export type DeliveryResult = { sent: number; retried: number; failed: number };

/**
 * Sends due e-mails from email_outbox over SMTP, in batches, until none is due. Each batch is claimed
 * with one UPDATE … FOR UPDATE SKIP LOCKED that counts the attempt and moves next_attempt_at past a
 * lease, so two processes never take the same row; then each e-mail is sent outside any transaction
 * and marked SENT, or rescheduled with backoff, or FAILED after MAX_EMAIL_ATTEMPTS (the last error kept).
 */
export async function deliverDueEmails(
  opts: { settings?: MailSettings | null; transport?: Transporter; now?: () => Date; batchSize?: number; maxBatches?: number } = {},
): Promise<DeliveryResult> {
  const settings = opts.settings === undefined ? mailSettings() : opts.settings;
  const result: DeliveryResult = { sent: 0, retried: 0, failed: 0 };
  if (!settings) return result;
  const transport = opts.transport ?? transportFor(settings);
  const now = opts.now ?? (() => new Date());
  const db = getDb();
  for (let batch = 0; batch < (opts.maxBatches ?? 50); batch++) {
    const claimedAt = now();
    const claimed = await db.$queryRaw<Claimed[]>`
      UPDATE email_outbox SET attempts = attempts + 1, next_attempt_at = ${new Date(claimedAt.getTime() + CLAIM_LEASE_MS)}
      WHERE id IN (
        SELECT id FROM email_outbox
        WHERE status = 'PENDING' AND next_attempt_at <= ${claimedAt}
        ORDER BY next_attempt_at, id LIMIT ${opts.batchSize ?? 20} FOR UPDATE SKIP LOCKED)
      RETURNING id, to_address, locale, kind, params, link, attempts`;
    if (!claimed.length) break;
    for (const mail of claimed) {
      try {
        const email = renderEmail(mail.locale, mail.kind, mail.params ?? {}, mail.link, settings.portalUrl);
        await transport.sendMail({
          from: settings.from,
          to: outboxAddress(mail.to_address),
          subject: email.subject,
          text: email.text,
          html: email.html,
        });
        await db.emailOutbox.updateMany({
          where: { id: mail.id, status: "PENDING" },
          data: { status: "SENT", sentAt: now(), lastError: null },
        });
        result.sent += 1;
      } catch (err) {
        const message = (err instanceof Error ? err.message : String(err)).slice(0, 1000);
        const gaveUp = mail.attempts >= MAX_EMAIL_ATTEMPTS;
        await db.emailOutbox.updateMany({
          where: { id: mail.id, status: "PENDING" },
          data: gaveUp
            ? { status: "FAILED", lastError: message }
            : { lastError: message, nextAttemptAt: new Date(now().getTime() + retryDelayMs(mail.attempts)) },
        });
        if (gaveUp) result.failed += 1;
        else result.retried += 1;
        log.warn({ err, emailId: mail.id, attempts: mail.attempts, gaveUp }, "notification e-mail not sent");
      }
    }
  }
  return result;
}

/** email_outbox.to_address holds the recipient's encrypted e-mail (plain text in rows queued before decision 0019). */
export function outboxAddress(stored: string): string {
  return isCiphertext(stored) ? decryptSecret(stored) : stored;
}
