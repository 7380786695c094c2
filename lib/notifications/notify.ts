import type { Tx } from "@/lib/db";
import type { NotificationKind } from "./kinds";

export type NotifyInput = {
  recipientIds: readonly string[];
  kind: NotificationKind;
  // Values for the translated message (names, request numbers, dates as ISO strings); never secrets.
  params?: Record<string, string | number>;
  // The portal page it leads to, e.g. `/requests/<id>`.
  link?: string;
};

/**
 * Tells people something in the same transaction as the change it is about: one in-app notification
 * per recipient (set-based). E-mail delivery is queued from here too (lib/notifications owns it).
 */
export async function notify(tx: Tx, input: NotifyInput): Promise<void> {
  const recipients = [...new Set(input.recipientIds)];
  if (!recipients.length) return;
  await tx.notification.createMany({
    data: recipients.map((recipientId) => ({ recipientId, kind: input.kind, params: input.params ?? {}, link: input.link ?? null })),
  });
}
