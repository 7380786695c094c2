import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { requireVaultApproval } from "@/lib/vault/consume-vault-approval";
import { REVEAL_PII_SCENARIO, vaultOperation } from "@/lib/vault/built-in";
import { RevealPiiInput } from "./schemas";
import { decryptPii, PII_SELECT } from "./pii";

/**
 * Shows one personal-data field in full (R15). Permission-checked and audited; the audit row says
 * which field was seen, never the value. Vault mode (R14): a person operator needs a second person's
 * approval for exactly this person and field, used up here, once.
 */
export async function revealPersonPii(tx: Tx, actor: Actor, raw: z.input<typeof RevealPiiInput>, now = new Date()): Promise<string | null> {
  assertCan(actor, "people:reveal-pii");
  const input = RevealPiiInput.parse(raw);
  const person = await tx.person.findUnique({
    where: { id: input.personId },
    select: { id: true, ...PII_SELECT, orgUnit: { select: { path: true } } },
  });
  if (!person) throw new DomainError("NOT_FOUND");
  assertCan(actor, "people:reveal-pii", { orgUnitPath: person.orgUnit.path });
  const vaultRequestId = await requireVaultApproval(
    tx,
    actor,
    REVEAL_PII_SCENARIO,
    { vaultRequestId: input.vaultRequestId, operation: vaultOperation.revealPii(input.field), targetType: "person", targetId: person.id },
    now,
  );
  await recordAuditEvent(tx, actor, {
    action: "person.pii.revealed",
    target: { type: "person", id: person.id },
    summary: { field: input.field, ...(vaultRequestId ? { vaultRequestId } : {}) },
    basis: vaultRequestId ? `vault:${vaultRequestId}` : null,
  });
  return decryptPii(person)[input.field];
}
