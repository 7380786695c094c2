import { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { assertSystemAdminRemains } from "./last-system-admin";
import { ReasonInput, text } from "@/lib/validation";

export const RevokePortalRoleInput = z.object({ assignmentId: text().uuid("invalid"), reason: ReasonInput });

export async function revokePortalRole(tx: Tx, actor: Actor, raw: z.input<typeof RevokePortalRoleInput>): Promise<void> {
  const input = RevokePortalRoleInput.parse(raw);
  assertCan(actor, "portal-roles:manage");
  const assignment = await tx.portalRoleAssignment.findUnique({ where: { id: input.assignmentId } });
  if (!assignment) throw new DomainError("NOT_FOUND");
  if (assignment.role === "SYSTEM_ADMIN") await assertSystemAdminRemains(tx, { assignmentId: assignment.id });
  const removed = await tx.portalRoleAssignment.deleteMany({ where: { id: assignment.id } });
  if (removed.count !== 1) throw new DomainError("CONFLICT");
  await recordAuditEvent(tx, actor, {
    action: "portal-role.revoked",
    target: { type: "person", id: assignment.personId },
    summary: {
      before: { role: assignment.role, systemId: assignment.systemId, orgUnitId: assignment.orgUnitId },
      assignmentId: assignment.id,
    },
    reason: input.reason,
  });
}
