import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { encryptSecret } from "@/lib/crypto";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { ConfigureConnectorInput, RemoveConnectorInput } from "./schemas";

/**
 * Sets how the portal reaches a business system: a SCIM 2.0 endpoint (its credentials encrypted with the
 * portal's key and never shown again; a blank secret keeps the stored one) or manual tasks for its
 * administrators. Marks the system connected, so its changes are queued for delivery from now on.
 * The audit row records what changed, never the secret (only whether it changed).
 */
export async function configureConnector(tx: Tx, actor: Actor, raw: z.input<typeof ConfigureConnectorInput>, now = new Date()) {
  const input = ConfigureConnectorInput.parse(raw);
  assertCan(actor, "connectors:manage", { systemId: input.systemId });
  const systems = await tx.$queryRaw<{ id: string; is_active: boolean }[]>`
    SELECT id::text AS id, is_active FROM business_system WHERE id = ${input.systemId}::uuid FOR UPDATE`;
  if (!systems[0]?.is_active) throw new DomainError("NOT_FOUND", { field: "systemId" });
  const before = await tx.systemConnector.findUnique({ where: { systemId: input.systemId } });

  const data =
    input.kind === "SCIM"
      ? (() => {
          if (!input.secret && !(before?.kind === "SCIM" && before.auth === input.auth && before.secretEnc)) {
            throw new DomainError("VALIDATION", { field: "secret" });
          }
          return {
            kind: "SCIM" as const,
            baseUrl: input.baseUrl,
            auth: input.auth,
            secretEnc: input.secret ? encryptSecret(input.secret) : before!.secretEnc,
            roleMapping: input.roleMapping,
            maxAttempts: input.maxAttempts,
            safetyMaxPercent: input.safetyMaxPercent,
          };
        })()
      : { kind: "MANUAL" as const, baseUrl: null, auth: null, secretEnc: null };

  const connector = await tx.systemConnector.upsert({
    where: { systemId: input.systemId },
    create: { systemId: input.systemId, ...data, createdAt: now },
    update: { ...data, consecutiveFailures: 0, circuitOpenUntil: null },
  });
  await tx.businessSystem.update({ where: { id: input.systemId }, data: { isConnected: true } });
  const view = (c: typeof before) =>
    c
      ? {
          kind: c.kind,
          baseUrl: c.baseUrl,
          auth: c.auth,
          roleMapping: c.roleMapping,
          maxAttempts: c.maxAttempts,
          safetyMaxPercent: c.safetyMaxPercent,
        }
      : undefined;
  await recordAuditEvent(tx, actor, {
    action: "provisioning.connector-configured",
    target: { type: "system", id: input.systemId },
    summary: { before: view(before), after: view(connector), secretChanged: input.kind === "SCIM" && !!input.secret },
    reason: input.reason,
  });
  return { systemId: connector.systemId, kind: connector.kind };
}

/** Disconnects a system: its changes are no longer queued; rows already queued stay for the record. */
export async function removeConnector(tx: Tx, actor: Actor, raw: z.input<typeof RemoveConnectorInput>) {
  const input = RemoveConnectorInput.parse(raw);
  assertCan(actor, "connectors:manage", { systemId: input.systemId });
  const before = await tx.systemConnector.findUnique({ where: { systemId: input.systemId } });
  if (!before) throw new DomainError("NOT_FOUND", { field: "systemId" });
  await tx.systemConnector.delete({ where: { systemId: input.systemId } });
  await tx.businessSystem.update({ where: { id: input.systemId }, data: { isConnected: false } });
  await recordAuditEvent(tx, actor, {
    action: "provisioning.connector-removed",
    target: { type: "system", id: input.systemId },
    summary: { before: { kind: before.kind, baseUrl: before.baseUrl } },
    reason: input.reason,
  });
}
