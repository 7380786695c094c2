import { getDb, inTransaction } from "@/lib/db";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { PersonActor, RequestContext } from "@/lib/authz/actor";
import { getSecuritySettings } from "@/lib/settings/security-settings";
import { isPasswordExpired } from "./password-policy";

export type SessionCheck =
  | { ok: true; actor: PersonActor; mustChangePassword: boolean }
  | { ok: false; reason: "missing" | "revoked" | "idle" | "absolute" | "account-inactive" | "mfa-required" };

// lastSeenAt is written at most this often, so a page view is not a write.
const TOUCH_INTERVAL_MS = 60_000;

/**
 * Checked on every request: the session row decides, not the cookie, so revoking a session,
 * locking an account or a leaver's status change ends it on the next request.
 */
export async function checkSession(sessionId: string | undefined, ctx: RequestContext, now = new Date()): Promise<SessionCheck> {
  if (!sessionId || !/^[0-9a-f-]{36}$/i.test(sessionId)) return { ok: false, reason: "missing" };
  const db = getDb();
  const session = await db.portalSession.findUnique({
    where: { id: sessionId },
    select: {
      id: true,
      createdAt: true,
      lastSeenAt: true,
      revokedAt: true,
      account: {
        select: {
          id: true,
          status: true,
          passwordChangedAt: true,
          mustChangePassword: true,
          totpEnrolledAt: true,
          person: {
            select: {
              id: true,
              name: true,
              employeeNo: true,
              orgUnitId: true,
              status: true,
              roleAssignments: { select: { role: true, systemId: true, orgUnitId: true, orgUnit: { select: { path: true } } } },
            },
          },
        },
      },
    },
  });
  if (!session) return { ok: false, reason: "missing" };
  if (session.revokedAt) return { ok: false, reason: "revoked" };
  const settings = await getSecuritySettings(db);
  const { account } = session;
  const person = account.person;
  const mfaRequired =
    settings.mfaRequiredRoles.includes("STAFF") ||
    person.roleAssignments.some((r) => (settings.mfaRequiredRoles as string[]).includes(r.role));
  let reason: "idle" | "absolute" | "account-inactive" | "mfa-required" | null = null;
  if (account.status !== "ACTIVE" || person.status !== "ACTIVE") reason = "account-inactive";
  // Roles are read on every request, so a grant or a revocation applies at once. A role (or a setting)
  // that now needs a second factor ends a session the account has none for: the next sign-in enrols.
  // (An enrolled account's sessions all passed the second factor: sign-in asks every enrolled account.)
  else if (mfaRequired && !account.totpEnrolledAt) reason = "mfa-required";
  else if (now.getTime() - session.createdAt.getTime() > settings.absoluteTimeoutHours * 3_600_000) reason = "absolute";
  else if (now.getTime() - session.lastSeenAt.getTime() > settings.idleTimeoutMinutes * 60_000) reason = "idle";
  if (reason) {
    await endSession(session.id, person, account.id, ctx, reason);
    return { ok: false, reason };
  }
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db.portalSession.updateMany({ where: { id: session.id, revokedAt: null }, data: { lastSeenAt: now } });
  }
  const roles = person.roleAssignments.map((r) => ({
    role: r.role,
    systemId: r.systemId,
    orgUnitId: r.orgUnitId,
    orgUnitPath: r.orgUnit?.path ?? null,
  }));
  const actor: PersonActor = {
    kind: "person",
    personId: person.id,
    accountId: account.id,
    name: person.name,
    employeeNo: person.employeeNo,
    orgUnitId: person.orgUnitId,
    sessionId: session.id,
    roles,
    ctx,
  };
  return {
    ok: true,
    actor,
    mustChangePassword: account.mustChangePassword || isPasswordExpired(settings.passwordProfile, account.passwordChangedAt, now),
  };
}

async function endSession(
  sessionId: string,
  person: { id: string; name: string; employeeNo: string; orgUnitId: string },
  accountId: string,
  ctx: RequestContext,
  reason: string,
): Promise<void> {
  await inTransaction(async (tx) => {
    const ended = await tx.portalSession.updateMany({
      where: { id: sessionId, revokedAt: null },
      data: { revokedAt: new Date(), revokedReason: reason },
    });
    if (ended.count !== 1) return;
    await recordAuditEvent(
      tx,
      {
        kind: "person",
        personId: person.id,
        accountId,
        name: person.name,
        employeeNo: person.employeeNo,
        orgUnitId: person.orgUnitId,
        sessionId,
        roles: [],
        ctx,
      },
      {
        action: "auth.session.expired",
        target: { type: "session", id: sessionId },
        summary: { reason },
      },
    );
  });
}
