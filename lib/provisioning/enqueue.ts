import type { Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { orderedUuidv7s } from "@/lib/sql";

/** One change for a business system's automatic provisioning (R11: the portal drives the system). */
export type ProvisioningRow = {
  systemId: string;
  // What happened, e.g. "slave-account.disabled", "grant.revoked", "grant.created".
  operation: string;
  // What the connector needs to apply it (login name, role code…); never secrets.
  payload: Prisma.InputJsonValue;
  grantId?: string | null;
  slaveAccountId?: string | null;
  requestId?: string | null;
  // When the worker may first deliver it (default: at once).
  nextAttemptAt?: Date;
};

// Rows per INSERT: each column travels as one array parameter, so a chunk is 7 parameters however large.
const CHUNK = 5000;

/**
 * Writes provisioning_outbox rows in the caller's transaction, so a change and the order to apply it
 * commit (or roll back) together; a worker delivers them later, at least once. Only systems connected
 * for automatic provisioning (business_system.is_connected) get rows: the others are changed by hand
 * by their administrators, so their rows are dropped here and callers can pass every change.
 * Set-based: one lookup of the systems, then one INSERT … SELECT FROM unnest(…) per 5,000 rows (the
 * client's createMany was ~0.4 s per 1,000 rows; this is a few milliseconds). Returns the rows written.
 */
export async function enqueueProvisioning(tx: Tx, rows: readonly ProvisioningRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const systemIds = [...new Set(rows.map((r) => r.systemId))];
  const connected = await tx.businessSystem.findMany({ where: { id: { in: systemIds }, isConnected: true }, select: { id: true } });
  if (connected.length === 0) return 0;
  const isConnected = new Set(connected.map((s) => s.id));
  const data = rows.filter((r) => isConnected.has(r.systemId));
  // Ids in the order given, so a worker reading by id applies an account's creation before its grant.
  const nextId = orderedUuidv7s();
  for (let i = 0; i < data.length; i += CHUNK) {
    const chunk = data.slice(i, i + CHUNK);
    await tx.$executeRaw`
      INSERT INTO provisioning_outbox (id, system_id, operation, payload, grant_id, slave_account_id, request_id, next_attempt_at)
      SELECT o.id, o.system_id, o.operation, o.payload::jsonb, o.grant_id, o.slave_account_id, o.request_id, COALESCE(o.next_attempt_at, now())
      FROM unnest(${chunk.map(() => nextId())}::uuid[], ${chunk.map((r) => r.systemId)}::uuid[], ${chunk.map((r) => r.operation)}::text[],
                  ${chunk.map((r) => JSON.stringify(r.payload))}::text[], ${chunk.map((r) => r.grantId ?? null)}::uuid[],
                  ${chunk.map((r) => r.slaveAccountId ?? null)}::uuid[], ${chunk.map((r) => r.requestId ?? null)}::uuid[],
                  ${chunk.map((r) => r.nextAttemptAt?.toISOString() ?? null)}::timestamptz[])
        AS o(id, system_id, operation, payload, grant_id, slave_account_id, request_id, next_attempt_at)`;
  }
  return data.length;
}
