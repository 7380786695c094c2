import { isTx, type Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import type { AuditEventInput } from "./events";
import { itemCounts, itemsDigest, type AuditItemInput } from "./items";
import { auditKey, sealOf } from "./seal";

const MAX_TEXT = 2000;
const ITEM_CHUNK = 5000;

function clip(value: string | null | undefined, max = MAX_TEXT): string | null {
  if (value == null) return null;
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

// A call through the REST API names its token in every row it writes, next to the person it acts for.
function viaApiToken(actor: Actor, summary: AuditEventInput["summary"]) {
  const token = actor.ctx.apiToken;
  return token ? { ...summary, via: `api-token:${token.prefix}` } : summary;
}

/**
 * Writes one audit row inside the caller's transaction. The database computes the hash chain
 * (trigger) and rejects any later UPDATE/DELETE/TRUNCATE; the app seals the row with the audit key
 * (HMAC over id and hash, docs/decisions/0025) in the same transaction. If either insert fails, the
 * whole operation rolls back with it.
 */
export async function recordAuditEvent(tx: Tx, actor: Actor, event: AuditEventInput): Promise<bigint> {
  return insertAuditEvent(tx, actor, event, viaApiToken(actor, event.summary));
}

/**
 * A bulk action's audit (issue 14 §3): ONE event saying what it did (counts per kind, cause in
 * `reason`, `basis`, and whatever the summary adds) plus one item row per grant/account/person touched,
 * all in the caller's transaction. The event's summary carries `items: { count, digest, kinds }`, so the
 * chain and the seal cover the items and audit:verify notices an item added, removed or changed.
 */
export async function recordBulkAuditEvent(
  tx: Tx,
  actor: Actor,
  event: AuditEventInput,
  items: readonly AuditItemInput[],
): Promise<bigint> {
  const summary = {
    ...viaApiToken(actor, event.summary),
    items: { count: items.length, digest: itemsDigest(items), kinds: itemCounts(items) },
  };
  const id = await insertAuditEvent(tx, actor, event, summary);
  for (let start = 0; start < items.length; start += ITEM_CHUNK) {
    await tx.auditEventItem.createMany({
      data: items.slice(start, start + ITEM_CHUNK).map((item, i) => ({
        eventId: id,
        position: start + i,
        kind: item.kind,
        subjectId: item.subjectId,
        personId: item.personId ?? null,
        detail: (item.detail ?? undefined) as object | undefined,
      })),
    });
  }
  return id;
}

async function insertAuditEvent(tx: Tx, actor: Actor, event: AuditEventInput, summary: AuditEventInput["summary"]): Promise<bigint> {
  if (!isTx(tx)) throw new Error("recordAuditEvent must be called with a transaction client");
  const key = auditKey();
  const actorName = event.actorNameOverride ?? (actor.kind === "person" ? `${actor.name} (${actor.employeeNo})` : actor.name);
  const row = await tx.auditEvent.create({
    data: {
      actorId: actor.kind === "person" ? actor.personId : null,
      actorName: clip(actorName, 200) ?? "-",
      action: event.action,
      targetType: event.target?.type ?? null,
      targetId: event.target?.id ?? null,
      summary: (summary ?? undefined) as object | undefined,
      reason: clip(event.reason),
      basis: clip(event.basis, 500),
      requestId: clip(actor.ctx.requestId, 100),
      ip: clip(actor.ctx.ip, 100),
      userAgent: clip(actor.ctx.userAgent, 500),
    },
    select: { id: true, hash: true },
  });
  await tx.auditEventSeal.create({ data: { eventId: row.id, keyId: key.id, mac: sealOf(key, row.id, row.hash!) } });
  return row.id;
}
