import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { personTopic, publishEvent } from "@/lib/events/publish";
import { MarkAllNotificationsReadInput, MarkNotificationReadInput } from "./schemas";

// Reading one's own notifications changes no access and no governance state, so it is not audited
// (docs/decisions/0009); it is still only ever the recipient's own rows.

/** Marks one of the actor's own notifications read (someone else's is NOT_FOUND: it is not theirs to see). */
export async function markNotificationRead(
  tx: Tx,
  actor: Actor,
  raw: z.input<typeof MarkNotificationReadInput>,
  now = new Date(),
): Promise<{ changed: boolean }> {
  assertCan(actor, "self:read");
  if (actor.kind !== "person") throw new DomainError("FORBIDDEN");
  const input = MarkNotificationReadInput.parse(raw);
  const updated = await tx.notification.updateMany({
    where: { id: input.notificationId, recipientId: actor.personId, readAt: null },
    data: { readAt: now },
  });
  if (updated.count === 0) {
    const mine = await tx.notification.findFirst({
      where: { id: input.notificationId, recipientId: actor.personId },
      select: { id: true },
    });
    if (!mine) throw new DomainError("NOT_FOUND");
    return { changed: false };
  }
  await publishEvent(tx, { type: "notifications", topics: [personTopic(actor.personId)] });
  return { changed: true };
}

/** Marks every unread notification of the actor read (set-based); returns how many. */
export async function markAllNotificationsRead(
  tx: Tx,
  actor: Actor,
  raw: z.input<typeof MarkAllNotificationsReadInput> = {},
  now = new Date(),
): Promise<number> {
  assertCan(actor, "self:read");
  if (actor.kind !== "person") throw new DomainError("FORBIDDEN");
  MarkAllNotificationsReadInput.parse(raw);
  const updated = await tx.notification.updateMany({
    where: { recipientId: actor.personId, readAt: null, createdAt: { lte: now } },
    data: { readAt: now },
  });
  if (updated.count) await publishEvent(tx, { type: "notifications", topics: [personTopic(actor.personId)] });
  return updated.count;
}
