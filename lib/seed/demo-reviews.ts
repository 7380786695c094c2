import type { Tx } from "@/lib/db";
import { defineReview } from "@/lib/reviews/define";
import { actorOf } from "./demo-requests";

/**
 * Access reviews (issue 12) in the demo: the security officer E0005 runs a quarterly review of every
 * sensitive grant, decided by each person's department head, two weeks long, defaults END for
 * sensitive items. The head of Marketing (E0003) has items in the inbox; his own sensitive access went
 * to the head above him.
 */
export async function seedDemoReviews(tx: Tx, now: Date): Promise<void> {
  const officer = await actorOf(tx, "E0005");
  await defineReview(
    tx,
    officer,
    {
      name: "Quarterly review of sensitive access",
      description: "Demo seed: every sensitive grant, decided by the person's department head.",
      scope: { sensitiveOnly: true },
      stages: [{ strategy: "DEPARTMENT_HEAD" }],
      schedule: "QUARTERLY",
      durationDays: 14,
      defaultDecision: "KEEP",
      riskyDefault: "END",
      escalateAfterDays: 7,
    },
    now,
  );
}
