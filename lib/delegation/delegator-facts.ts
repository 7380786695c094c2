import type { Tx } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { PortalRole } from "@/lib/generated/prisma/enums";
import type { DelegatorFacts } from "./rules";

/** What makes a person someone who approves (rules.canDelegate decides): roles, headship, sponsorship, open items. */
export async function loadDelegatorFacts(db: Tx | PrismaClient, personId: string): Promise<DelegatorFacts> {
  // One query after another: inside a transaction this is one connection.
  const roles = await db.portalRoleAssignment.findMany({ where: { personId }, select: { role: true } });
  const headOf = await db.orgUnit.count({ where: { headId: personId, isActive: true } });
  const sponsored = await db.person.count({ where: { sponsorId: personId, status: "ACTIVE" } });
  const open = await db.stageApprover.findFirst({ where: { approverId: personId, isOpen: true }, select: { id: true } });
  return {
    roles: [...new Set(roles.map((r) => r.role))] as PortalRole[],
    isOrgUnitHead: headOf > 0,
    isSponsor: sponsored > 0,
    hasOpenApprovals: !!open,
  };
}
