import type { Tx } from "@/lib/db";

// Server push across processes: a change publishes an event with pg_notify inside its own transaction,
// so it is delivered when (and only if) the transaction commits; each server process LISTENs on one
// dedicated connection (hub.ts) and hands events to its own subscribers (SSE streams, long-polls).
export const EVENTS_CHANNEL = "portal_events";

export type PortalEventType =
  // A person's unread notification count changed.
  | "notifications"
  // A vault prompt for an approver was opened, or closed without a decision (cancelled, expired).
  | "vault-prompt"
  // A vault request was decided (approved / rejected), consumed or lapsed.
  | "vault-decided";

export type PortalEvent = { type: PortalEventType; topics: string[]; data?: Record<string, string | number | null> };

export const personTopic = (personId: string) => `person:${personId}`;
export const vaultTopic = (vaultRequestId: string) => `vault:${vaultRequestId}`;

// pg_notify payloads are limited to 8000 bytes: topics go out in chunks.
const TOPICS_PER_PAYLOAD = 100;

export function eventPayloads(event: PortalEvent): string[] {
  const payloads: string[] = [];
  for (let i = 0; i < event.topics.length; i += TOPICS_PER_PAYLOAD) {
    payloads.push(JSON.stringify({ type: event.type, topics: event.topics.slice(i, i + TOPICS_PER_PAYLOAD), data: event.data ?? {} }));
  }
  return payloads;
}

/** Queues the event on the transaction: PostgreSQL delivers it to every listener on commit. */
export async function publishEvent(tx: Tx, event: PortalEvent): Promise<void> {
  await publishEvents(tx, [event]);
}

/** Several events in one statement (e.g. a batch job's). */
export async function publishEvents(tx: Tx, events: PortalEvent[]): Promise<void> {
  const payloads = events.flatMap(eventPayloads);
  if (!payloads.length) return;
  await tx.$executeRaw`SELECT pg_notify(${EVENTS_CHANNEL}, p) FROM unnest(${payloads}::text[]) AS p`;
}
