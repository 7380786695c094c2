import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import type { AuditEventInput } from "@/lib/audit/events";
import { recordBulkAuditEvent } from "@/lib/audit/record-audit-event";

export type ShortenedGrant = { id: string; personId: string | null; systemId: string; before: Date | null; after: Date };

/**
 * Brings live grants' end forward (a review's "shorten", issue 12 §4): one UPDATE sets each grant's
 * ends_at to its new end where that is earlier than the current one (a grant already ending sooner, or
 * ended, is skipped: compare-and-set), then one bulk audit event with an item per grant. The grant then
 * ends through the expiry job (endGrants: outbox, findings) like any time-bound grant. Returns the
 * grants changed.
 */
export async function shortenGrants(
  tx: Tx,
  actor: Actor,
  changes: readonly { grantId: string; endsAt: Date }[],
  opts: { reason: string; basis?: string; now: Date; target?: AuditEventInput["target"]; summary?: Record<string, unknown> },
): Promise<ShortenedGrant[]> {
  if (!changes.length) return [];
  const rows = await tx.$queryRaw<{ id: string; person_id: string | null; system_id: string; before: Date | null; after: Date }[]>`
    WITH v AS (SELECT * FROM unnest(${changes.map((c) => c.grantId)}::uuid[], ${changes.map((c) => c.endsAt)}::timestamptz[]) AS v(id, ends)),
    locked AS (
      SELECT g.id, g.ends_at FROM access_grant g JOIN v ON v.id = g.id
      WHERE g.revoked_at IS NULL AND (g.ends_at IS NULL OR g.ends_at > v.ends) AND v.ends > ${opts.now}
      ORDER BY g.id FOR UPDATE OF g)
    UPDATE access_grant g SET ends_at = v.ends, expiry_notice = NULL
    FROM v, locked, slave_account s
    WHERE g.id = v.id AND locked.id = g.id AND s.id = g.slave_account_id
    RETURNING g.id::text, s.person_id::text, s.system_id::text, locked.ends_at AS before, g.ends_at AS after`;
  if (!rows.length) return [];
  const shortened = rows.map((r) => ({ id: r.id, personId: r.person_id, systemId: r.system_id, before: r.before, after: r.after }));
  await recordBulkAuditEvent(
    tx,
    actor,
    {
      action: "grant.shortened",
      target: opts.target ?? { type: "grant", id: shortened.length === 1 ? shortened[0]!.id : null },
      summary: { count: shortened.length, ...opts.summary },
      reason: opts.reason,
      basis: opts.basis,
    },
    shortened.map((g) => ({
      kind: "grant" as const,
      subjectId: g.id,
      personId: g.personId,
      detail: { systemId: g.systemId, before: { endsAt: g.before?.toISOString() ?? null }, after: { endsAt: g.after.toISOString() } },
    })),
  );
  return shortened;
}
