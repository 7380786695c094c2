import { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor, PersonActor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { ReasonInput, text } from "@/lib/validation";

export async function signOut(tx: Tx, actor: PersonActor): Promise<void> {
  if (!actor.sessionId) return;
  const ended = await tx.portalSession.updateMany({
    where: { id: actor.sessionId, revokedAt: null },
    data: { revokedAt: new Date(), revokedReason: "sign-out" },
  });
  if (ended.count !== 1) return;
  await recordAuditEvent(tx, actor, { action: "auth.sign-out", target: { type: "session", id: actor.sessionId } });
}

/** Ends every open session of an account: "sign out everywhere", or an administrator's action. */
export const RevokeSessionsInput = z.object({ accountId: text().uuid("invalid"), reason: ReasonInput });

export async function revokeAllSessions(tx: Tx, actor: Actor, rawAccountId: string, rawReason: string): Promise<number> {
  const { accountId, reason } = RevokeSessionsInput.parse({ accountId: rawAccountId, reason: rawReason });
  if (actor.kind !== "person" || actor.accountId !== accountId) assertCan(actor, "accounts:manage");
  const ended = await tx.portalSession.updateMany({
    where: { accountId, revokedAt: null },
    data: { revokedAt: new Date(), revokedReason: reason.slice(0, 200) },
  });
  await recordAuditEvent(tx, actor, {
    action: "auth.sessions.revoked",
    target: { type: "account", id: accountId },
    summary: { sessions: ended.count },
    reason,
  });
  return ended.count;
}
