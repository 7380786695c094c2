import { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { ReasonInput } from "@/lib/people/schemas";

export const RevokePortalRoleInput = z.object({ assignmentId: z.string().uuid("invalid"), reason: ReasonInput });

export async function revokePortalRole(tx: Tx, actor: Actor, raw: z.input<typeof RevokePortalRoleInput>): Promise<void> {
  const input = RevokePortalRoleInput.parse(raw);
  assertCan(actor, "portal-roles:manage");
  const assignment = await tx.portalRoleAssignment.findUnique({ where: { id: input.assignmentId } });
  if (!assignment) throw new DomainError("NOT_FOUND");
  if (assignment.role === "SYSTEM_ADMIN") {
    // Lock every system-administrator row: two people removing the last two at once must not
    // both succeed.
    const admins = await tx.$queryRaw<{ id: string }[]>`
      SELECT a.id FROM portal_role_assignment a JOIN person p ON p.id = a.person_id
      WHERE a.role = 'SYSTEM_ADMIN' AND p.status = 'ACTIVE' FOR UPDATE OF a`;
    if (admins.filter((a) => a.id !== assignment.id).length === 0) throw new DomainError("LAST_SYSTEM_ADMIN");
  }
  const removed = await tx.portalRoleAssignment.deleteMany({ where: { id: assignment.id } });
  if (removed.count !== 1) throw new DomainError("CONFLICT");
  await recordAuditEvent(tx, actor, {
    action: "portal-role.revoked",
    target: { type: "person", id: assignment.personId },
    summary: { before: { role: assignment.role, systemId: assignment.systemId, orgUnitId: assignment.orgUnitId }, assignmentId: assignment.id },
    reason: input.reason,
  });
}
