import { getDb, type Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { ApiTokenIdentity } from "./authenticate";

export type ApiCall = {
  method: string;
  // The route template, e.g. "/api/v1/requests/{id}" (ids go in resourceId, so rows group by route).
  route: string;
  status: number;
  // The error code of a refused call.
  code?: string;
  resourceId?: string | null;
};

/**
 * Every use of a token is audited ("api.called"). Writes call this inside the operation's transaction,
 * so the row exists exactly when the change does; reads and refusals call it in a transaction of their own.
 */
export async function recordApiCall(tx: Tx, actor: Actor, token: Pick<ApiTokenIdentity, "id" | "name">, call: ApiCall) {
  await recordAuditEvent(tx, actor, {
    action: "api.called",
    target: { type: "api-token", id: token.id },
    summary: {
      method: call.method,
      route: call.route,
      status: call.status,
      ...(call.code ? { code: call.code } : {}),
      ...(call.resourceId ? { resourceId: call.resourceId } : {}),
      token: token.name,
    },
  });
}

/**
 * Marks the token as used. Deliberately after the call's transaction, on its own: holding the token's row
 * inside every call would serialise the calls of one integration and could deadlock with a revocation
 * (which locks the row, then the audit chain, in the other order).
 */
export async function touchApiToken(tokenId: string, now = new Date()): Promise<void> {
  await getDb().apiToken.updateMany({
    where: { id: tokenId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: now } }] },
    data: { lastUsedAt: now },
  });
}
