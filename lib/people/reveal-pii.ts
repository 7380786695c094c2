import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { RevealPiiInput } from "./schemas";

/**
 * Shows one personal-data field in full (R15). Permission-checked and audited; the audit row says
 * which field was seen, never the value. (The vault-mode second approval arrives with issue 4.)
 */
export async function revealPersonPii(tx: Tx, actor: Actor, raw: z.input<typeof RevealPiiInput>): Promise<string | null> {
  assertCan(actor, "people:reveal-pii");
  const input = RevealPiiInput.parse(raw);
  const person = await tx.person.findUnique({
    where: { id: input.personId },
    select: { id: true, phone: true, email: true, idNumber: true, orgUnit: { select: { path: true } } },
  });
  if (!person) throw new DomainError("NOT_FOUND");
  assertCan(actor, "people:reveal-pii", { orgUnitPath: person.orgUnit.path });
  await recordAuditEvent(tx, actor, {
    action: "person.pii.revealed",
    target: { type: "person", id: person.id },
    summary: { field: input.field },
  });
  return person[input.field];
}
