import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Sensitivity } from "@/lib/generated/prisma/enums";
import { recordBulkAuditEvent } from "@/lib/audit/record-audit-event";
import type { AuditAction, AuditEventInput } from "@/lib/audit/events";
import { enqueueProvisioning } from "@/lib/provisioning/enqueue";
import { rebuildFindingsFor } from "@/lib/policy/recheck-policies";

/** A grant that endGrants has just ended, with what notices and connectors need to know about it. */
export type EndedGrant = {
  id: string;
  slaveAccountId: string;
  systemId: string;
  system: string;
  personId: string | null;
  loginName: string;
  roleId: string;
  roleCode: string;
  role: string;
  startsAt: Date;
  endsAt: Date | null;
  requestId: string | null;
};

/** How the grants end: the stored reason, the cause connectors and the audit see, and the audit row. */
export type GrantEnd = {
  // Machine-readable cause ("revoked", "expired", "given-up", "mover", "person-left"…): the outbox
  // payload's and the audit summary's `cause`.
  cause: string;
  // Stored on each grant (access_grant.revoke_reason) and, unless auditReason is given, the audit reason.
  reason: string;
  auditReason?: string;
  basis?: string;
  action?: Extract<AuditAction, "grant.revoked" | "grant.expired" | "grant.given-up" | "elevation.ended">;
  // Default: the grant when one ended, else none (the summary names them).
  target?: AuditEventInput["target"];
  // Extra summary fields (requestId, personId…), merged after the standard ones.
  summary?: Record<string, unknown>;
  now: Date;
  // The expiry job: grants whose end date has passed end at that date (revoked_at = ends_at); every
  // other cause ends live grants now.
  expiry?: boolean;
};

/**
 * The one way a grant ends (admin revoke, giving up, expiry, an elevation's early end, an account
 * disabled or deleted, a leaver, a suspension, a mover, a contract's end). In the caller's transaction
 * and set-based: one UPDATE ends those of `grantIds` that are still live (compare-and-set: a grant
 * another transaction ended first is skipped, so the caller compares the count it expected), then
 * connected systems get their `grant.revoked` outbox rows, the holders' policy findings are rebuilt,
 * and one bulk audit event records the batch: a bounded summary and one item per grant (issue 14 §3).
 * Nothing is written when nothing ended.
 *
 * Lock order: grants, the findings lock, then the audit chain (which stays locked until commit), so a
 * caller must take its own row locks before calling this and only write audit rows after it.
 * Returns the grants ended, sorted by id.
 */
export async function endGrants(tx: Tx, actor: Actor, grantIds: readonly string[], end: GrantEnd): Promise<EndedGrant[]> {
  const ids = [...new Set(grantIds)];
  if (ids.length === 0) return [];
  const { now } = end;
  const revokedById = actor.kind === "person" ? actor.personId : null;
  const set = end.expiry
    ? Prisma.sql`revoked_at = g.ends_at, revoke_reason = ${end.reason}`
    : Prisma.sql`revoked_at = ${now}, revoked_by_id = ${revokedById}::uuid, revoke_reason = ${end.reason}`;
  const live = end.expiry
    ? Prisma.sql`g.ends_at IS NOT NULL AND g.ends_at <= ${now}`
    : Prisma.sql`(g.ends_at IS NULL OR g.ends_at > ${now})`;
  const rows = await tx.$queryRaw<
    {
      id: string;
      slave_account_id: string;
      system_id: string;
      system: string;
      person_id: string | null;
      login_name: string;
      role_id: string;
      role_code: string;
      role: string;
      starts_at: Date;
      ends_at: Date | null;
      request_id: string | null;
    }[]
  >`
    UPDATE access_grant g SET ${set}
    FROM slave_account s, business_system bs, job_role r
    WHERE g.id = ANY(${ids}::uuid[]) AND g.revoked_at IS NULL AND ${live}
      AND s.id = g.slave_account_id AND bs.id = s.system_id AND r.id = g.role_id
    RETURNING g.id::text, s.id::text AS slave_account_id, s.system_id::text, bs.name AS system, s.person_id::text, s.login_name,
              r.id::text AS role_id, r.code AS role_code, r.name AS role, g.starts_at, g.ends_at, g.request_id::text`;
  if (rows.length === 0) return [];
  const ended: EndedGrant[] = rows
    .map((r) => ({
      id: r.id,
      slaveAccountId: r.slave_account_id,
      systemId: r.system_id,
      system: r.system,
      personId: r.person_id,
      loginName: r.login_name,
      roleId: r.role_id,
      roleCode: r.role_code,
      role: r.role,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      requestId: r.request_id,
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  await enqueueProvisioning(
    tx,
    ended.map((g) => ({
      systemId: g.systemId,
      operation: "grant.revoked",
      grantId: g.id,
      slaveAccountId: g.slaveAccountId,
      payload: { grantId: g.id, loginName: g.loginName, roleCode: g.roleCode, cause: end.cause },
    })),
  );
  const holders = [...new Set(ended.map((g) => g.personId).filter((id): id is string => !!id))];
  await rebuildFindingsFor(tx, holders, now);

  // One bulk event (issue 14 §3): counts, cause and basis in a bounded summary, an item per grant ended.
  const only = ended.length === 1 ? ended[0]! : null;
  const systemIds = [...new Set(ended.map((g) => g.systemId))];
  await recordBulkAuditEvent(
    tx,
    actor,
    {
      action: end.action ?? "grant.revoked",
      target: end.target ?? { type: "grant", id: only?.id ?? null },
      summary: {
        cause: end.cause,
        count: ended.length,
        systems: systemIds.length,
        systemIds: systemIds.slice(0, MAX_SUMMARY_SYSTEMS),
        ...(only
          ? {
              before: { personId: only.personId, systemId: only.systemId, roleId: only.roleId, endsAt: only.endsAt?.toISOString() ?? null },
              ...(only.requestId ? { requestId: only.requestId } : {}),
            }
          : {}),
        ...end.summary,
      },
      reason: end.auditReason ?? end.reason,
      basis: end.basis,
    },
    ended.map((g) => ({
      kind: "grant" as const,
      subjectId: g.id,
      personId: g.personId,
      detail: {
        slaveAccountId: g.slaveAccountId,
        systemId: g.systemId,
        loginName: g.loginName,
        roleCode: g.roleCode,
        endsAt: g.endsAt?.toISOString() ?? null,
        ...(g.requestId ? { requestId: g.requestId } : {}),
      },
    })),
  );
  return ended;
}

// The summary names at most this many systems (the items name every grant's).
const MAX_SUMMARY_SYSTEMS = 20;

type Selection = { personIds: readonly string[] } | { slaveAccountIds: readonly string[] };

/**
 * The live grants on the selected accounts (all of a person's accounts, or the accounts named), or
 * only the sensitive ones when `sensitiveLevels` is given: a grant is sensitive when its role's
 * matrix, now, holds a permission of one of those levels (the roster's rule, R3). Locks them (in id
 * order) for the endGrants call that follows. One query.
 */
export async function liveGrantIds(
  tx: Tx,
  sel: Selection,
  opts: { now: Date; sensitiveLevels?: readonly Sensitivity[] },
): Promise<string[]> {
  const { now } = opts;
  const accounts =
    "personIds" in sel
      ? Prisma.sql`s.person_id = ANY(${[...sel.personIds]}::uuid[])`
      : Prisma.sql`s.id = ANY(${[...sel.slaveAccountIds]}::uuid[])`;
  if (("personIds" in sel ? sel.personIds : sel.slaveAccountIds).length === 0) return [];
  const sensitiveOnly = opts.sensitiveLevels
    ? Prisma.sql`AND EXISTS (
        SELECT 1 FROM role_permission rp JOIN permission p ON p.id = rp.permission_id
        WHERE rp.role_id = g.role_id AND rp.starts_at <= ${now} AND (rp.ends_at IS NULL OR rp.ends_at > ${now})
          AND p.sensitivity = ANY(${[...opts.sensitiveLevels]}::"Sensitivity"[]))`
    : Prisma.empty;
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT g.id::text FROM access_grant g JOIN slave_account s ON s.id = g.slave_account_id
    WHERE ${accounts} AND g.revoked_at IS NULL AND (g.ends_at IS NULL OR g.ends_at > ${now}) ${sensitiveOnly}
    ORDER BY g.id FOR UPDATE OF g`;
  return rows.map((r) => r.id);
}
