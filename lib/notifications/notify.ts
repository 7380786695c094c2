import type { Tx } from "@/lib/db";
import { personTopic, publishEvent } from "@/lib/events/publish";
import type { NotificationKind } from "./kinds";
import { mailSettings } from "./mail-settings";

export type NotifyInput = {
  recipientIds: readonly string[];
  kind: NotificationKind;
  // Values for the translated message (names, request numbers, dates as ISO strings); never secrets.
  params?: Record<string, string | number>;
  // The portal page it leads to, e.g. `/requests/<id>`.
  link?: string;
};

/**
 * Tells people something in the same transaction as the change it is about, set-based:
 * - one in-app notification per recipient;
 * - when SMTP is configured, one e-mail per recipient who is active and has an address, queued in
 *   email_outbox (the address as stored: encrypted, decrypted by the sender) in their language (master_account.preferred_locale, else zh-CN) and sent by the
 *   delivery job (deliver-email.ts) after commit;
 * - a server-push event so their open pages update the unread count at once (on commit).
 */
export async function notify(tx: Tx, input: NotifyInput): Promise<void> {
  const recipients = [...new Set(input.recipientIds)];
  if (!recipients.length) return;
  const created = await tx.notification.createManyAndReturn({
    data: recipients.map((recipientId) => ({ recipientId, kind: input.kind, params: input.params ?? {}, link: input.link ?? null })),
    select: { id: true },
  });
  if (mailSettings()) {
    const ids = created.map((n) => n.id);
    await tx.$executeRaw`
      INSERT INTO email_outbox (id, notification_id, recipient_id, to_address, locale, kind, params, link)
      SELECT gen_random_uuid(), n.id, n.recipient_id, p.email_enc,
             CASE WHEN a.preferred_locale IN ('zh-CN', 'en') THEN a.preferred_locale ELSE 'zh-CN' END,
             n.kind, n.params, n.link
      FROM notification n
      JOIN person p ON p.id = n.recipient_id
      LEFT JOIN master_account a ON a.person_id = p.id
      WHERE n.id = ANY(${ids}::uuid[]) AND p.status = 'ACTIVE' AND p.email_enc IS NOT NULL`;
  }
  await publishEvent(tx, { type: "notifications", topics: recipients.map(personTopic) });
}
