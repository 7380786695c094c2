import { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";

export const CreateBusinessSystemInput = z.object({
  code: z.string().trim().regex(/^[A-Z0-9_-]{2,40}$/, "code"),
  name: z.string().trim().min(1, "required").max(100, "too-long"),
  nameEn: z.string().trim().max(100, "too-long").optional(),
  environment: z.enum(["PRODUCTION", "TEST"]),
  kind: z.enum(["FRONT_END", "BACK_END", "PLATFORM"]),
  ownerOrgId: z.string().uuid("invalid"),
});

// The full system registry (permissions, roles, matrix) arrives with the identity-core issue.
export async function createBusinessSystem(tx: Tx, actor: Actor, raw: z.input<typeof CreateBusinessSystemInput>) {
  const input = CreateBusinessSystemInput.parse(raw);
  assertCan(actor, "systems:manage");
  if (await tx.businessSystem.findUnique({ where: { code: input.code }, select: { id: true } })) throw new DomainError("ALREADY_EXISTS", { field: "code" });
  const system = await tx.businessSystem.create({ data: input });
  await recordAuditEvent(tx, actor, {
    action: "system.created",
    target: { type: "system", id: system.id },
    summary: { after: { code: system.code, name: system.name, environment: system.environment, kind: system.kind } },
  });
  return system;
}
