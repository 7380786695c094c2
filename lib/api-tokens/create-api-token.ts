import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { CreateApiTokenInput } from "./schemas";
import { newApiTokenSecret } from "./secret";

/**
 * Creates an API token for a business system or integration. The secret is returned here, once, for
 * the administrator to copy; only its SHA-256 is stored, so it can never be shown again.
 */
export async function createApiToken(tx: Tx, actor: Actor, raw: z.input<typeof CreateApiTokenInput>, now = new Date()) {
  const input = CreateApiTokenInput.parse(raw);
  assertCan(actor, "api-tokens:manage");
  const systems = await tx.businessSystem.findMany({
    where: { id: { in: input.systemIds }, isActive: true },
    select: { id: true, code: true },
  });
  if (systems.length !== input.systemIds.length) throw new DomainError("NOT_FOUND", { field: "systemIds" });

  const { token, prefix, hash } = newApiTokenSecret();
  const expiresAt = new Date(now.getTime() + input.validDays * 86_400_000);
  const row = await tx.apiToken.create({
    data: {
      name: input.name,
      prefix,
      tokenHash: hash,
      systemIds: input.systemIds,
      operations: input.operations,
      expiresAt,
      createdById: actor.kind === "person" ? actor.personId : null,
      createdAt: now,
    },
    select: { id: true, name: true, prefix: true, systemIds: true, operations: true, expiresAt: true, createdAt: true },
  });
  await recordAuditEvent(tx, actor, {
    action: "api-token.created",
    target: { type: "api-token", id: row.id },
    summary: {
      after: {
        name: row.name,
        prefix,
        systems: systems.map((s) => s.code).sort(),
        operations: row.operations,
        expiresAt: expiresAt.toISOString(),
      },
    },
  });
  return { ...row, secret: token };
}
