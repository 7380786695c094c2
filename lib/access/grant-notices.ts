import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { recordBulkAuditEvent } from "@/lib/audit/record-audit-event";
import { notify } from "@/lib/notifications/notify";

// Time-bound access (issue 4 item 7): the holder hears before a grant ends (7 days and 1 day before;
// 1 hour before for grants of a day or less) and when it has ended; connected systems are told to
// remove the role (lib/grants/end-grants.ts).

export type GrantFacts = {
  id: string;
  systemId: string;
  system: string;
  role: string;
  roleCode: string;
  loginName: string;
  slaveAccountId: string;
  ownerId: string | null;
  startsAt: Date;
  endsAt: Date | null;
};

/** What notices and outbox rows say about these grants (one query). */
export async function loadGrantFacts(tx: Tx, grantIds: readonly string[]): Promise<GrantFacts[]> {
  if (!grantIds.length) return [];
  const rows = await tx.$queryRaw<
    {
      id: string;
      system_id: string;
      system: string;
      role: string;
      role_code: string;
      login_name: string;
      slave_account_id: string;
      owner_id: string | null;
      starts_at: Date;
      ends_at: Date | null;
    }[]
  >`
    SELECT g.id::text AS id, sa.system_id::text AS system_id, s.name AS system, r.name AS role, r.code AS role_code, sa.login_name,
           sa.id::text AS slave_account_id, sa.person_id::text AS owner_id, g.starts_at, g.ends_at
    FROM access_grant g
    JOIN slave_account sa ON sa.id = g.slave_account_id
    JOIN business_system s ON s.id = sa.system_id
    JOIN job_role r ON r.id = g.role_id
    WHERE g.id = ANY(${[...grantIds]}::uuid[])
    ORDER BY g.ends_at NULLS LAST, g.id`;
  return rows.map((r) => ({
    id: r.id,
    systemId: r.system_id,
    system: r.system,
    role: r.role,
    roleCode: r.role_code,
    loginName: r.login_name,
    slaveAccountId: r.slave_account_id,
    ownerId: r.owner_id,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
  }));
}

/**
 * Called by lib/grants/expire-grants.ts in its transaction for the grants it has just ended (through
 * lib/grants/end-grants.ts, which wrote their outbox rows): each holder is told ("grant-expired").
 */
export async function notifyGrantsExpired(
  tx: Tx,
  grants: readonly { personId: string | null; system: string; role: string }[],
): Promise<void> {
  for (const g of grants) {
    if (!g.personId) continue;
    await notify(tx, { recipientIds: [g.personId], kind: "grant-expired", params: { system: g.system, role: g.role }, link: "/access" });
  }
}

export type ExpiryNotice = "7d" | "1d" | "1h";

/**
 * Which reminder a live time-bound grant is due at `now`, given the last one sent, or null. Grants
 * lasting a day or less get one reminder an hour before the end; longer ones one a day before; those
 * lasting more than a week also one seven days before. A reminder whose moment was missed is not sent
 * late once the next one is due (the 7-day one is skipped when a day or less remains).
 */
export function dueExpiryNotice(grant: { startsAt: Date; endsAt: Date }, lastNotice: string | null, now: Date): ExpiryNotice | null {
  const left = grant.endsAt.getTime() - now.getTime();
  if (left <= 0) return null;
  const duration = grant.endsAt.getTime() - grant.startsAt.getTime();
  const HOUR = 3_600_000;
  const DAY = 24 * HOUR;
  if (duration <= DAY) return left <= HOUR && lastNotice === null ? "1h" : null;
  if (left <= DAY) return lastNotice === "1d" ? null : "1d";
  if (duration > 7 * DAY && left <= 7 * DAY) return lastNotice === null ? "7d" : null;
  return null;
}

/**
 * The expiry reminders due now, set-based: one UPDATE marks access_grant.expiry_notice (the same rule
 * as dueExpiryNotice, in SQL) on a batch of grants (SKIP LOCKED), so each reminder is sent once; then
 * each holder is told and one audit row names the batch. Returns the number of reminders sent.
 */
export async function remindExpiringGrants(tx: Tx, actor: Actor, now = new Date(), batchSize = 500): Promise<number> {
  const marked = await tx.$queryRaw<{ id: string; notice: ExpiryNotice }[]>`
    WITH due AS (
      SELECT g.id,
        CASE
          WHEN g.ends_at - g.starts_at <= interval '1 day' THEN '1h'
          WHEN g.ends_at <= ${now}::timestamptz + interval '1 day' THEN '1d'
          ELSE '7d'
        END AS notice
      FROM access_grant g
      WHERE g.revoked_at IS NULL AND g.ends_at > ${now} AND g.ends_at <= ${now}::timestamptz + interval '7 days'
        AND (
          (g.ends_at - g.starts_at <= interval '1 day' AND g.ends_at <= ${now}::timestamptz + interval '1 hour' AND g.expiry_notice IS NULL)
          OR (g.ends_at - g.starts_at > interval '1 day' AND g.ends_at <= ${now}::timestamptz + interval '1 day' AND g.expiry_notice IS DISTINCT FROM '1d')
          OR (g.ends_at - g.starts_at > interval '7 days' AND g.ends_at > ${now}::timestamptz + interval '1 day' AND g.expiry_notice IS NULL))
      ORDER BY g.ends_at
      LIMIT ${batchSize}
      FOR UPDATE OF g SKIP LOCKED)
    UPDATE access_grant g SET expiry_notice = due.notice FROM due WHERE g.id = due.id
    RETURNING g.id::text AS id, due.notice`;
  if (!marked.length) return 0;
  const notice = new Map(marked.map((m) => [m.id, m.notice]));
  const grants = await loadGrantFacts(
    tx,
    marked.map((m) => m.id),
  );
  let sent = 0;
  for (const g of grants) {
    if (!g.ownerId || !g.endsAt) continue;
    const left = g.endsAt.getTime() - now.getTime();
    await notify(tx, {
      recipientIds: [g.ownerId],
      kind: "grant-expiring",
      params: {
        system: g.system,
        role: g.role,
        notice: notice.get(g.id)!,
        days: Math.max(1, Math.round(left / 86_400_000)),
        minutes: Math.max(1, Math.round(left / 60_000)),
      },
      link: "/access",
    });
    sent += 1;
  }
  const counts = { "7d": 0, "1d": 0, "1h": 0 };
  for (const m of marked) counts[m.notice] += 1;
  const owners = new Map(grants.map((g) => [g.id, g.ownerId]));
  await recordBulkAuditEvent(
    tx,
    actor,
    {
      action: "grant.expiry-reminded",
      target: { type: "grant", id: marked.length === 1 ? marked[0]!.id : null },
      summary: { count: marked.length, notices: counts },
      reason: "end date approaching",
    },
    marked.map((m) => ({ kind: "grant" as const, subjectId: m.id, personId: owners.get(m.id) ?? null, detail: { notice: m.notice } })),
  );
  return sent;
}
