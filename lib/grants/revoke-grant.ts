import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { RevokeGrantInput } from "./schemas";
import { endGrants } from "./end-grants";

/**
 * An administrator ends a live grant now (compare-and-set: a second revoke gets CONFLICT). The row
 * stays, end-dated; like every other end of a grant (lib/grants/end-grants.ts) it is audited, connected
 * systems get their outbox row and the holder's findings are rebuilt, in the same transaction.
 */
export async function revokeGrant(tx: Tx, actor: Actor, raw: z.input<typeof RevokeGrantInput>, now = new Date()) {
  const input = RevokeGrantInput.parse(raw);
  const grant = await tx.accessGrant.findUnique({
    where: { id: input.grantId },
    select: { id: true, slaveAccount: { select: { systemId: true } } },
  });
  if (!grant) throw new DomainError("NOT_FOUND");
  assertCan(actor, "grants:manage", { systemId: grant.slaveAccount.systemId });
  const ended = await endGrants(tx, actor, [grant.id], { cause: "revoked", reason: input.reason, now });
  if (ended.length !== 1) throw new DomainError("CONFLICT");
}
