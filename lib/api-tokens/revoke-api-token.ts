import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { RevokeApiTokenInput } from "./schemas";

/** Revokes a token at once (compare-and-set: revoking twice gets TOKEN_REVOKED, nothing changes). */
export async function revokeApiToken(tx: Tx, actor: Actor, raw: z.input<typeof RevokeApiTokenInput>, now = new Date()) {
  const input = RevokeApiTokenInput.parse(raw);
  assertCan(actor, "api-tokens:manage");
  const token = await tx.apiToken.findUnique({ where: { id: input.tokenId }, select: { id: true, name: true, prefix: true } });
  if (!token) throw new DomainError("NOT_FOUND", { field: "tokenId" });
  const revoked = await tx.apiToken.updateMany({
    where: { id: token.id, revokedAt: null },
    data: { revokedAt: now, revokedById: actor.kind === "person" ? actor.personId : null },
  });
  if (revoked.count !== 1) throw new DomainError("TOKEN_REVOKED");
  await recordAuditEvent(tx, actor, {
    action: "api-token.revoked",
    target: { type: "api-token", id: token.id },
    summary: { before: { name: token.name, prefix: token.prefix } },
    reason: input.reason,
  });
}
