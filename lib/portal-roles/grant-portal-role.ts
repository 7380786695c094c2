import { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan, incompatibleRoleFor } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { ReasonInput, text } from "@/lib/validation";

export const GrantPortalRoleInput = z.object({
  personId: text().uuid("invalid"),
  role: z.enum(["SYSTEM_ADMIN", "ACCOUNT_ADMIN", "APPROVER", "HR", "SECURITY_OFFICER"]),
  systemId: text().uuid("invalid").optional(),
  orgUnitId: text().uuid("invalid").optional(),
  reason: ReasonInput,
});

export async function grantPortalRole(tx: Tx, actor: Actor, raw: z.input<typeof GrantPortalRoleInput>) {
  const input = GrantPortalRoleInput.parse(raw);
  assertCan(actor, "portal-roles:manage");
  const systemId = input.role === "ACCOUNT_ADMIN" ? input.systemId : undefined;
  const orgUnitId = input.role === "APPROVER" ? input.orgUnitId : undefined;
  if (input.role === "ACCOUNT_ADMIN" && !systemId) throw new DomainError("SCOPE_REQUIRED", { field: "systemId" });
  if (input.role === "APPROVER" && !orgUnitId) throw new DomainError("SCOPE_REQUIRED", { field: "orgUnitId" });

  // Lock the person so two grants racing cannot together create an incompatible pair.
  const locked = await tx.$queryRaw<{ id: string; status: string; employment_type: string }[]>`
    SELECT id, status::text, employment_type::text FROM person WHERE id = ${input.personId}::uuid FOR UPDATE`;
  const person = locked[0];
  if (!person) throw new DomainError("NOT_FOUND", { field: "personId" });
  if (person.status !== "ACTIVE") throw new DomainError("CONFLICT", { field: "personId" });
  // R10: third parties are never administrators of anything.
  if (person.employment_type === "THIRD_PARTY")
    throw new DomainError("FORBIDDEN", { field: "personId", params: { permission: "third-party" } });
  if (systemId && !(await tx.businessSystem.findUnique({ where: { id: systemId }, select: { id: true } })))
    throw new DomainError("NOT_FOUND", { field: "systemId" });
  if (orgUnitId && !(await tx.orgUnit.findUnique({ where: { id: orgUnitId }, select: { id: true } })))
    throw new DomainError("NOT_FOUND", { field: "orgUnitId" });

  const held = await tx.portalRoleAssignment.findMany({
    where: { personId: input.personId },
    select: { role: true, systemId: true, orgUnitId: true },
  });
  const conflict = incompatibleRoleFor(
    held.map((h) => h.role),
    input.role,
  );
  if (conflict) throw new DomainError("SOD_CONFLICT", { field: "role", params: { held: conflict, wanted: input.role } });
  if (held.some((h) => h.role === input.role && (h.systemId ?? undefined) === systemId && (h.orgUnitId ?? undefined) === orgUnitId)) {
    throw new DomainError("ALREADY_EXISTS", { field: "role" });
  }
  const assignment = await tx.portalRoleAssignment.create({ data: { personId: input.personId, role: input.role, systemId, orgUnitId } });
  await recordAuditEvent(tx, actor, {
    action: "portal-role.granted",
    target: { type: "person", id: input.personId },
    summary: { after: { role: input.role, systemId: systemId ?? null, orgUnitId: orgUnitId ?? null }, assignmentId: assignment.id },
    reason: input.reason,
  });
  return assignment;
}
