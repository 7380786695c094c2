import { isTx, type Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import type { AuditEventInput } from "./events";

const MAX_TEXT = 2000;

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
 * (trigger) and rejects any later UPDATE/DELETE/TRUNCATE, so if this insert fails, the whole
 * operation rolls back with it.
 */
export async function recordAuditEvent(tx: Tx, actor: Actor, event: AuditEventInput): Promise<bigint> {
  if (!isTx(tx)) throw new Error("recordAuditEvent must be called with a transaction client");
  const actorName = event.actorNameOverride ?? (actor.kind === "person" ? `${actor.name} (${actor.employeeNo})` : actor.name);
  const row = await tx.auditEvent.create({
    data: {
      actorId: actor.kind === "person" ? actor.personId : null,
      actorName: clip(actorName, 200) ?? "-",
      action: event.action,
      targetType: event.target?.type ?? null,
      targetId: event.target?.id ?? null,
      summary: (viaApiToken(actor, event.summary) ?? undefined) as object | undefined,
      reason: clip(event.reason),
      basis: clip(event.basis, 500),
      requestId: clip(actor.ctx.requestId, 100),
      ip: clip(actor.ctx.ip, 100),
      userAgent: clip(actor.ctx.userAgent, 500),
    },
    select: { id: true },
  });
  return row.id;
}
