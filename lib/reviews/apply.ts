import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { recordBulkAuditEvent } from "@/lib/audit/record-audit-event";
import { endGrants, liveGrantIds } from "@/lib/grants/end-grants";
import { shortenGrants } from "@/lib/grants/shorten-grants";
import { enqueueProvisioning } from "@/lib/provisioning/enqueue";
import { accountItems, accountStatusRows, setPeopleAccountsStatus } from "@/lib/slave-accounts/stop-access";
import { formatCampaignNumber } from "./schemas";
import type { LockedCampaign } from "./decide";

export const REVIEW_CAUSE = "review";

/**
 * Applies final END / SHORTEN decisions of locked items (issue 12 §6): ended grants go through the one
 * endGrants path (audit with an item per grant, outbox rows for connected systems, findings rebuilt);
 * an account item ends every live grant on the account and disables it (R2: an orphan nobody vouches
 * for); a shorten brings the grant's end forward. Each item is then APPLIED, with a note when there was
 * nothing left to do (already ended elsewhere, or already ending sooner). Remediation then follows
 * the provisioning outbox and manual tasks (lib/reviews/queries.ts reads it). One summary audit event.
 */
export async function applyItems(tx: Tx, actor: Actor, campaign: LockedCampaign, itemIds: readonly string[], now: Date) {
  if (!itemIds.length) return { ended: 0, shortened: 0, accounts: 0 };
  const items = await tx.$queryRaw<
    { id: string; decision: "END" | "SHORTEN"; grant_id: string | null; slave_account_id: string; new_ends_at: Date | null }[]
  >`
    SELECT id::text, decision::text, grant_id::text, slave_account_id::text, new_ends_at FROM review_item
    WHERE campaign_id = ${campaign.id}::uuid AND id = ANY(${[...itemIds]}::uuid[]) AND apply_state = 'PENDING' AND decision IN ('END', 'SHORTEN')
    ORDER BY id`;
  if (!items.length) return { ended: 0, shortened: 0, accounts: 0 };
  const number = formatCampaignNumber(campaign.number);
  const reason = `Access review ${number}`;
  const target = { type: "review-campaign" as const, id: campaign.id };

  const accountItemsToEnd = items.filter((i) => i.decision === "END" && !i.grant_id);
  const accountIds = [...new Set(accountItemsToEnd.map((i) => i.slave_account_id))];
  const changedAccounts = await setPeopleAccountsStatus(tx, { slaveAccountIds: accountIds }, ["ACTIVE", "LOCKED"], "DISABLED");
  if (changedAccounts.length) {
    await enqueueProvisioning(tx, accountStatusRows(changedAccounts, REVIEW_CAUSE));
    await recordBulkAuditEvent(
      tx,
      actor,
      {
        action: "slave-account.disabled",
        target,
        summary: { cause: REVIEW_CAUSE, count: changedAccounts.length, campaign: number },
        reason,
        basis: number,
      },
      accountItems(changedAccounts),
    );
  }
  // A shorten applied at the campaign's end whose new last day has passed by then ends the grant now.
  const shortenRows = items.filter((i) => i.decision === "SHORTEN" && i.grant_id && i.new_ends_at && i.new_ends_at > now);
  const lapsed = items.filter((i) => i.decision === "SHORTEN" && i.grant_id && !shortenRows.includes(i));
  const grantIds = [
    ...items.filter((i) => i.decision === "END" && i.grant_id).map((i) => i.grant_id!),
    ...lapsed.map((i) => i.grant_id!),
    ...(accountIds.length ? await liveGrantIds(tx, { slaveAccountIds: accountIds }, { now }) : []),
  ];
  const ended = await endGrants(tx, actor, grantIds, {
    cause: REVIEW_CAUSE,
    reason,
    basis: number,
    now,
    target,
    summary: { campaign: number },
  });
  const shortened = await shortenGrants(
    tx,
    actor,
    shortenRows.map((i) => ({ grantId: i.grant_id!, endsAt: i.new_ends_at! })),
    { reason, basis: number, now, target, summary: { campaign: number } },
  );

  // Per item: what happened. A grant no longer live (ended by someone else since the snapshot) needs
  // nothing more; a shorten whose grant already ends sooner likewise.
  const endedIds = new Set(ended.map((g) => g.id));
  const shortenedIds = new Set(shortened.map((g) => g.id));
  const notes = items.map((i) => {
    if (i.decision === "END" && i.grant_id) return endedIds.has(i.grant_id) ? null : "already-ended";
    if (i.decision === "END") return null;
    if (lapsed.includes(i)) return endedIds.has(i.grant_id!) ? "ended-date-passed" : "already-ended";
    return shortenedIds.has(i.grant_id!) ? null : "already-shorter";
  });
  await tx.$executeRaw`
    UPDATE review_item i SET apply_state = 'APPLIED', applied_at = ${now}, apply_error = v.note
    FROM unnest(${items.map((i) => i.id)}::uuid[], ${notes}::text[]) AS v(id, note) WHERE i.id = v.id`;
  const result = { ended: ended.length, shortened: shortened.length, accounts: changedAccounts.length };
  await recordBulkAuditEvent(
    tx,
    actor,
    { action: "review.decisions-applied", target, summary: { campaign: number, count: items.length, ...result }, reason },
    items.map((i, n) => ({
      kind: "review-item" as const,
      subjectId: i.id,
      detail: { decision: i.decision, grantId: i.grant_id, note: notes[n] },
    })),
  );
  return result;
}
