import type { Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

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

const CHUNK = 1000;

/**
 * Writes provisioning_outbox rows in the caller's transaction, so a change and the order to apply it
 * commit (or roll back) together; a worker delivers them later, at least once. Only systems connected
 * for automatic provisioning (business_system.is_connected) get rows: the others are changed by hand
 * by their administrators, so their rows are dropped here and callers can pass every change.
 * Set-based: one lookup of the systems, then multi-row inserts. Returns the number of rows written.
 */
export async function enqueueProvisioning(tx: Tx, rows: readonly ProvisioningRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const systemIds = [...new Set(rows.map((r) => r.systemId))];
  const connected = await tx.businessSystem.findMany({ where: { id: { in: systemIds }, isConnected: true }, select: { id: true } });
  if (connected.length === 0) return 0;
  const isConnected = new Set(connected.map((s) => s.id));
  const data = rows
    .filter((r) => isConnected.has(r.systemId))
    .map((r) => ({
      systemId: r.systemId, operation: r.operation, payload: r.payload,
      grantId: r.grantId ?? null, slaveAccountId: r.slaveAccountId ?? null, requestId: r.requestId ?? null,
      ...(r.nextAttemptAt ? { nextAttemptAt: r.nextAttemptAt } : {}),
    }));
  for (let i = 0; i < data.length; i += CHUNK) await tx.provisioningOutbox.createMany({ data: data.slice(i, i + CHUNK) });
  return data.length;
}
