import type { z } from "zod";
import { inTransaction, type Tx } from "@/lib/db";
import { systemActor, type Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { notify } from "@/lib/notifications/notify";
import { systemAccountAdmins } from "./deliver";
import { ReleaseHeldInput } from "./schemas";

// The safety valve (issue 11 §3): a mistake upstream (a wrong HR file, a vendor offboarded by accident)
// must not disable half of a business system in one round. Before each delivery round, a SCIM system
// whose pending account disables and deletes exceed its connector's share of the system's accounts (and
// at least SAFETY_MIN_ACCOUNTS) is held: those rows wait, everything else is still delivered, its
// account administrators are told, and one of them confirms (releases) or keeps them held. The portal's
// own state has already changed (access ends in the portal at once, R5); only the push to the system waits.

export const SAFETY_MIN_ACCOUNTS = 5;
export const DESTRUCTIVE = ["slave-account.disabled", "slave-account.deleted"] as const;

/** The SQL condition "this outbox row `o` of connector `c` is held by the valve". */
export const heldRow = Prisma.sql`(c.held_at IS NOT NULL AND o.operation IN ('slave-account.disabled', 'slave-account.deleted')
  AND (c.released_before IS NULL OR o.created_at > c.released_before))`;

const WORKER: Actor = systemActor("provisioning worker");

/**
 * Holds the systems that cross their threshold now (one transaction each, audited, administrators told).
 * Returns the systems newly held.
 */
export async function checkSafetyValve(now: Date): Promise<string[]> {
  const crossing = await inTransaction(async (tx) => {
    const rows = await tx.$queryRaw<{ system_id: string; pending: number; accounts: number; percent: number }[]>`
      WITH pending AS (
        SELECT o.system_id, count(*)::int AS n
        FROM provisioning_outbox o JOIN system_connector c ON c.system_id = o.system_id
        WHERE c.kind = 'SCIM' AND c.safety_max_percent > 0 AND c.held_at IS NULL AND o.status = 'PENDING'
          AND o.operation IN ('slave-account.disabled', 'slave-account.deleted')
          AND (c.released_before IS NULL OR o.created_at > c.released_before)
        GROUP BY o.system_id)
      SELECT p.system_id::text, p.n AS pending, a.n AS accounts, c.safety_max_percent AS percent
      FROM pending p
      JOIN system_connector c ON c.system_id = p.system_id
      CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM slave_account s WHERE s.system_id = p.system_id) a
      WHERE p.n >= ${SAFETY_MIN_ACCOUNTS} AND p.n * 100 > c.safety_max_percent * a.n`;
    const held: string[] = [];
    for (const r of rows) {
      const changed = await tx.systemConnector.updateMany({
        where: { systemId: r.system_id, heldAt: null },
        data: { heldAt: now, heldCount: r.pending },
      });
      if (changed.count !== 1) continue;
      held.push(r.system_id);
      await recordAuditEvent(tx, WORKER, {
        action: "provisioning.held",
        target: { type: "system", id: r.system_id },
        summary: { pending: r.pending, accounts: r.accounts, maxPercent: r.percent },
      });
      const admins = await systemAccountAdmins(tx, r.system_id);
      if (admins.personIds.length)
        await notify(tx, {
          recipientIds: admins.personIds,
          kind: "provisioning-held",
          params: { system: admins.code ?? "", count: r.pending, accounts: r.accounts },
          link: `/systems/${r.system_id}/provisioning`,
        });
    }
    return held;
  });
  return crossing;
}

/**
 * An account administrator confirms the held disables/deletes: every such row queued until now is
 * delivered; later ones are checked again. Compare-and-set: a second confirmation is a CONFLICT.
 */
export async function releaseHeldDeliveries(tx: Tx, actor: Actor, raw: z.input<typeof ReleaseHeldInput>, now = new Date()) {
  const input = ReleaseHeldInput.parse(raw);
  assertCan(actor, "connectors:manage", { systemId: input.systemId });
  const connector = await tx.systemConnector.findUnique({ where: { systemId: input.systemId }, select: { heldAt: true, heldCount: true } });
  if (!connector) throw new DomainError("NOT_FOUND", { field: "systemId" });
  const changed = await tx.systemConnector.updateMany({
    where: { systemId: input.systemId, heldAt: { not: null } },
    data: { heldAt: null, heldCount: 0, releasedBefore: now },
  });
  if (changed.count !== 1) throw new DomainError("CONFLICT");
  await recordAuditEvent(tx, actor, {
    action: "provisioning.released",
    target: { type: "system", id: input.systemId },
    summary: { heldSince: connector.heldAt?.toISOString() ?? null, held: connector.heldCount },
    reason: input.reason,
  });
}
