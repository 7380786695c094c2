import type { Tx } from "@/lib/db";
import { DomainError } from "@/lib/errors";

/**
 * The portal must keep at least one system administrator who can sign in. Locks every active
 * system-administrator assignment, so two people removing, locking or disabling the last two at once
 * cannot both succeed, and refuses when none would remain without `leaving`.
 */
export async function assertSystemAdminRemains(tx: Tx, leaving: { assignmentId?: string; personId?: string }): Promise<void> {
  const admins = await tx.$queryRaw<{ id: string; person_id: string }[]>`
    SELECT a.id, a.person_id FROM portal_role_assignment a
    JOIN person p ON p.id = a.person_id
    JOIN master_account m ON m.person_id = p.id
    WHERE a.role = 'SYSTEM_ADMIN' AND p.status = 'ACTIVE' AND m.status = 'ACTIVE'
    ORDER BY a.id
    FOR UPDATE OF a`;
  const remaining = admins.filter((a) => a.id !== leaving.assignmentId && a.person_id !== leaving.personId);
  if (remaining.length === 0) throw new DomainError("LAST_SYSTEM_ADMIN");
}
