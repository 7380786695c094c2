import { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { decryptSecret } from "@/lib/crypto";
import { scimCall } from "./scim-client";
import { ReasonInput, text } from "@/lib/validation";

export const RequeueDeliveryInput = z.object({ outboxId: text().uuid("invalid"), reason: ReasonInput });

/**
 * Gives a dead-lettered row another round of attempts (after the administrator fixed the connector or
 * the system). Compare-and-set on FAILED: a second click, or a row already requeued, is a CONFLICT.
 */
export async function requeueDelivery(tx: Tx, actor: Actor, raw: z.input<typeof RequeueDeliveryInput>, now = new Date()) {
  const input = RequeueDeliveryInput.parse(raw);
  const rows = await tx.$queryRaw<{ system_id: string; status: string; operation: string; attempts: number }[]>`
    SELECT system_id::text AS system_id, status::text AS status, operation, attempts FROM provisioning_outbox
    WHERE id = ${input.outboxId}::uuid FOR UPDATE`;
  const row = rows[0];
  if (!row) throw new DomainError("NOT_FOUND", { field: "outboxId" });
  assertCan(actor, "connectors:manage", { systemId: row.system_id });
  if (row.status !== "FAILED") throw new DomainError("CONFLICT");
  await tx.$executeRaw`
    UPDATE provisioning_outbox SET status = 'PENDING', attempts = 0, next_attempt_at = ${now} WHERE id = ${input.outboxId}::uuid`;
  await recordAuditEvent(tx, actor, {
    action: "provisioning.requeued",
    target: { type: "system", id: row.system_id },
    summary: {
      outboxId: input.outboxId,
      operation: row.operation,
      before: { status: "FAILED", attempts: row.attempts },
      after: { status: "PENDING" },
    },
    reason: input.reason,
  });
}

export type ConnectionCheck = { ok: boolean; status: number | null; error?: string; durationMs: number };

/** Asks the system's SCIM endpoint for its ServiceProviderConfig with the stored credentials. Reads only. */
export async function testConnection(tx: Tx, actor: Actor, systemId: string): Promise<ConnectionCheck> {
  if (!text().uuid().safeParse(systemId).success) throw new DomainError("NOT_FOUND", { field: "systemId" });
  assertCan(actor, "connectors:manage", { systemId });
  const c = await tx.systemConnector.findUnique({ where: { systemId } });
  if (!c || c.kind !== "SCIM" || !c.baseUrl || !c.auth || !c.secretEnc) throw new DomainError("NOT_FOUND", { field: "systemId" });
  const res = await scimCall(
    { baseUrl: c.baseUrl, auth: c.auth, secret: decryptSecret(c.secretEnc) },
    "GET",
    "/ServiceProviderConfig",
    undefined,
    {
      timeoutMs: 5000,
    },
  );
  return { ok: res.status === 200, status: res.status, error: res.error, durationMs: res.durationMs };
}
