import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { getRequestSettings } from "@/lib/policy/request-settings";
import { createReview } from "./define";
import { ReviewDefinitionInput } from "./schemas";

/**
 * R5 movers (issue 11 §2): the sensitive grants ended at once (lib/people/mover.ts); every other live
 * grant goes to the person's new department head, who keeps or ends each within `moverReviewDays`
 * (request settings). It is an access review of that one person: department-head stage (resolved from
 * the new unit, so the new head decides; their own access never goes to themselves), every undecided
 * item ends at the deadline, each end applied at once. Runs in the mover's transaction, audited there;
 * nothing is started when the move left no live grant (so the move itself is never refused for it).
 * Returns the campaign, or null.
 */
export async function startMoverReview(tx: Tx, actor: Actor, person: { id: string; name: string; employeeNo: string }, now: Date) {
  // Exactly what the snapshot would select (live grants on non-deleted accounts of active systems).
  const [left] = await tx.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM access_grant g JOIN slave_account s ON s.id = g.slave_account_id
    JOIN business_system bs ON bs.id = s.system_id
    WHERE s.person_id = ${person.id}::uuid AND s.status <> 'DELETED' AND bs.is_active
      AND g.revoked_at IS NULL AND (g.ends_at IS NULL OR g.ends_at > ${now})`;
  if (!left || left.n === 0) return null;
  const { moverReviewDays } = await getRequestSettings(tx);
  const input = ReviewDefinitionInput.parse({
    name: `调岗复核 · Mover review: ${person.name} (${person.employeeNo})`.slice(0, 120),
    description: "Started by the move (R5): the new department head keeps or ends each remaining grant; undecided ones end.",
    scope: { personIds: [person.id] },
    stages: [{ strategy: "DEPARTMENT_HEAD" }],
    schedule: "ONCE",
    durationDays: moverReviewDays,
    defaultDecision: "END",
    riskyDefault: "END",
    applyImmediately: true,
    remindDaysBefore: Math.min(3, moverReviewDays - 1),
  });
  const created = await createReview(tx, actor, input, now);
  return created.campaign;
}
