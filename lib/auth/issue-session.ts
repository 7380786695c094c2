import type { Tx } from "@/lib/db";
import type { RequestContext } from "@/lib/authz/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { lockPendingSignIn, signInActor } from "./pending-sign-in";

/**
 * Last step: turns a completed pending sign-in into a portal session, once. Called from the Auth.js
 * credentials provider; returns the session id the JWT carries, or null.
 */
export async function issueSession(tx: Tx, ctx: RequestContext, token: string | undefined, now = new Date()): Promise<string | null> {
  const pending = await lockPendingSignIn(tx, token, now);
  if (!pending) return null;
  if (pending.needsEnrol || (pending.needsMfa && !pending.mfaPassedAt)) return null;
  const consumed = await tx.pendingSignIn.updateMany({ where: { id: pending.id, consumedAt: null }, data: { consumedAt: now } });
  if (consumed.count !== 1) return null;
  const account = pending.account;
  if (account.status !== "ACTIVE") return null;
  if (account.lockedUntil && account.lockedUntil > now) return null;
  const session = await tx.portalSession.create({
    data: { accountId: account.id, createdAt: now, lastSeenAt: now, ip: ctx.ip, userAgent: ctx.userAgent?.slice(0, 500) ?? null },
    select: { id: true },
  });
  await tx.masterAccount.update({ where: { id: account.id }, data: { lastSignInAt: now, failedAttempts: 0, lockedUntil: null } });
  await recordAuditEvent(tx, signInActor(pending, ctx), {
    action: "auth.sign-in.succeeded",
    target: { type: "session", id: session.id },
    summary: { mfa: pending.needsMfa ? "totp" : "none" },
  });
  return session.id;
}
