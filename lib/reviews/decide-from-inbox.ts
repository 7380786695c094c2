import { z } from "zod";
import type { Tx } from "@/lib/db";
import type { PersonActor } from "@/lib/authz/actor";
import { DomainError } from "@/lib/errors";
import { text } from "@/lib/validation";
import { bulkDecideItems } from "./decide";
import { RECOMMENDATIONS } from "./schemas";

// The inbox's bulk bar (issue 12 §4): one decision with one justification over the items ticked on the
// page (which may come from several campaigns) or over every open item matching the inbox's filter (in
// each campaign it covers). bulkDecideItems works per campaign; this groups, in one transaction, so a
// foreign or already-decided item refuses the whole call and nothing changes.

const uuid = () => text().uuid("invalid");

export const DecideFromInboxInput = z.object({
  scope: z.enum(["selected", "filter"], { error: "invalid" }),
  itemIds: z.array(uuid()).max(5000, "too-many").default([]),
  filter: z
    .object({
      campaign: uuid().optional(),
      system: uuid().optional(),
      recommendation: z.enum([...RECOMMENDATIONS, "ANY", "NONE"], { error: "invalid" }).optional(),
      sensitive: z.enum(["YES", "NO"], { error: "invalid" }).optional(),
    })
    .default({}),
  decision: z.enum(["KEEP", "END", "RECOMMENDED"], { error: "invalid" }),
  // Checked by bulkDecideItems (ReasonInput); here only carried.
  comment: text(),
});

/** Returns how many items were decided; refusals are bulkDecideItems' (REVIEW_BULK_FOREIGN, REVIEW_SELF, …). */
export async function decideFromInbox(tx: Tx, actor: PersonActor, raw: z.input<typeof DecideFromInboxInput>, now = new Date()) {
  const input = DecideFromInboxInput.parse(raw);
  const { decision, comment } = input;
  if (input.scope === "selected") {
    const ids = [...new Set(input.itemIds)];
    if (!ids.length) throw new DomainError("VALIDATION", { field: "itemIds" });
    const refs = await tx.reviewItem.findMany({ where: { id: { in: ids } }, select: { id: true, campaignId: true } });
    if (refs.length !== ids.length) throw new DomainError("REVIEW_BULK_FOREIGN");
    const byCampaign = new Map<string, string[]>();
    for (const r of refs) byCampaign.set(r.campaignId, [...(byCampaign.get(r.campaignId) ?? []), r.id]);
    let decided = 0;
    // Campaigns in id order: two bulk calls over the same campaigns lock them in the same order.
    for (const [campaignId, itemIds] of [...byCampaign].sort(([a], [b]) => a.localeCompare(b)))
      decided += (await bulkDecideItems(tx, actor, { campaignId, itemIds, decision, comment }, now)).decided;
    return decided;
  }
  const f = input.filter;
  const filter = { systemId: f.system, recommendation: f.recommendation, sensitive: f.sensitive };
  const campaigns = f.campaign
    ? [f.campaign]
    : (
        await tx.$queryRaw<{ id: string }[]>`
          SELECT DISTINCT i.campaign_id::text AS id FROM review_item i JOIN review_campaign c ON c.id = i.campaign_id
          WHERE c.status = 'ACTIVE' AND i.status = 'OPEN' AND (i.reviewer_id = ${actor.personId}::uuid OR i.reviewer_id IN (
            SELECT d.delegator_id FROM approval_delegation d
            WHERE d.delegate_id = ${actor.personId}::uuid AND d.revoked_at IS NULL AND d.starts_at <= ${now} AND d.ends_at > ${now}))
          ORDER BY 1`
      ).map((r) => r.id);
  if (!campaigns.length) throw new DomainError("REVIEW_BULK_FOREIGN");
  let decided = 0;
  let withoutRecommendations = 0;
  for (const campaignId of campaigns) {
    try {
      decided += (await bulkDecideItems(tx, actor, { campaignId, filter, decision, comment }, now)).decided;
    } catch (error) {
      // Accepting recommendations across campaigns: one without any does not fail the others.
      if (error instanceof DomainError && error.code === "REVIEW_NOTHING_RECOMMENDED" && campaigns.length > 1) withoutRecommendations++;
      else throw error;
    }
  }
  if (withoutRecommendations === campaigns.length) throw new DomainError("REVIEW_NOTHING_RECOMMENDED");
  return decided;
}
