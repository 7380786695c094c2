import { getDb, type Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Sensitivity } from "@/lib/generated/prisma/enums";
import { getClassificationSettings } from "@/lib/settings/classification";
import { rebuildFindingsFor } from "@/lib/policy/recheck-policies";
import { endGrants, liveGrantIds, type EndedGrant } from "@/lib/grants/end-grants";

// R5 "movers": a change of any of these is a job change; the person's sensitive authorisations stop.
export const MOVER_FIELDS = ["orgUnitId", "jobTitle", "jobCategories"] as const;
export const MOVER_CAUSE = "mover";

export function isMove(changed: readonly string[]): boolean {
  return changed.some((f) => (MOVER_FIELDS as readonly string[]).includes(f));
}

/**
 * How many live grants of the person are sensitive now: the role's current matrix holds a permission
 * of a level the classification setting calls sensitive (the roster's rule, R3).
 */
export async function countSensitiveGrants(db: Tx | PrismaClient, personId: string, now = new Date()): Promise<number> {
  const levels = (await getClassificationSettings(db)).sensitiveLevels as Sensitivity[];
  const [row] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM access_grant g JOIN slave_account s ON s.id = g.slave_account_id
    WHERE s.person_id = ${personId}::uuid AND g.revoked_at IS NULL AND (g.ends_at IS NULL OR g.ends_at > ${now})
      AND EXISTS (
        SELECT 1 FROM role_permission rp JOIN permission p ON p.id = rp.permission_id
        WHERE rp.role_id = g.role_id AND rp.starts_at <= ${now} AND (rp.ends_at IS NULL OR rp.ends_at > ${now})
          AND p.sensitivity = ANY(${levels}::"Sensitivity"[]))`;
  return row?.n ?? 0;
}

/** For the edit form's warning: the sensitive grants a job change would revoke now. */
export function previewMoverRevocations(personId: string): Promise<number> {
  return countSensitiveGrants(getDb(), personId);
}

/**
 * The mover's sensitive grants end now (through lib/grants/end-grants.ts: one UPDATE, revoke reason
 * "mover", outbox rows, one audit row naming them) and the person's policy findings are rebuilt, so
 * whatever the move made non-compliant among the remaining grants shows on the policy-violations page
 * at once. The caller audits the change of the person.
 */
export async function stopSensitiveAccessOfMover(tx: Tx, actor: Actor, personId: string, now: Date, reason: string): Promise<EndedGrant[]> {
  const levels = (await getClassificationSettings(tx)).sensitiveLevels as Sensitivity[];
  const ids = await liveGrantIds(tx, { personIds: [personId] }, { now, sensitiveLevels: levels });
  const grants = await endGrants(tx, actor, ids, {
    cause: MOVER_CAUSE,
    reason: MOVER_CAUSE,
    auditReason: reason,
    target: { type: "person", id: personId },
    summary: { personId },
    now,
  });
  // Remaining grants may break the rules for the new job (endGrants rebuilt them only if some ended).
  if (grants.length === 0) await rebuildFindingsFor(tx, [personId], now);
  return grants;
}
