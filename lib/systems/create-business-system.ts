import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { CreateBusinessSystemInput } from "./schemas";

export { CreateBusinessSystemInput };

/** Registers a business system (R7: it has an owning department; administrators are portal roles). */
export async function createBusinessSystem(tx: Tx, actor: Actor, raw: z.input<typeof CreateBusinessSystemInput>) {
  assertCan(actor, "systems:manage");
  const input = CreateBusinessSystemInput.parse(raw);
  if (await tx.businessSystem.findUnique({ where: { code: input.code }, select: { id: true } }))
    throw new DomainError("ALREADY_EXISTS", { field: "code" });
  const owner = await tx.orgUnit.findUnique({ where: { id: input.ownerOrgId }, select: { isActive: true } });
  if (!owner?.isActive) throw new DomainError("NOT_FOUND", { field: "ownerOrgId" });
  const system = await tx.businessSystem.create({ data: input });
  await recordAuditEvent(tx, actor, {
    action: "system.created",
    target: { type: "system", id: system.id },
    summary: {
      after: {
        code: system.code,
        name: system.name,
        environment: system.environment,
        kind: system.kind,
        ownerOrgId: system.ownerOrgId,
        isConnected: system.isConnected,
      },
    },
  });
  return system;
}
