"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { getDb } from "@/lib/db";
import { performAsActor } from "@/lib/http/perform";
import { actionError, formValues, type ActionState } from "@/lib/http/action-state";
import { DomainError } from "@/lib/errors";
import { bulkDecideItems, decideItem } from "@/lib/reviews/decide";
import { reassignItems } from "@/lib/reviews/remind-escalate";
import { reviewInboxChoices } from "@/lib/reviews/inbox-queries";

// The reviewer's server actions (issue 12 §4): thin — the actor, the form's strings, the use case in
// one transaction (it authorizes, validates and audits), translated errors, never a 500.

const str = (form: FormData, key: string) => String(form.get(key) ?? "");
const opt = (form: FormData, key: string) => str(form, key) || undefined;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** REVIEW_ITEM_DECIDED names who decided and when: the time in the reader's format, not ISO. */
async function decidedError(error: unknown, values: Record<string, string>): Promise<ActionState> {
  if (
    error instanceof DomainError &&
    error.code === "REVIEW_ITEM_DECIDED" &&
    typeof error.params.at === "string" &&
    error.params.at !== "-"
  ) {
    const format = await getFormatter();
    const at = format.dateTime(new Date(error.params.at), { dateStyle: "medium", timeStyle: "short" });
    return actionError(new DomainError("REVIEW_ITEM_DECIDED", { params: { ...error.params, at } }), values);
  }
  return actionError(error, values);
}

/** Keep, end or shorten one item; on success the item page says so (the form is gone). */
export async function decideReviewItemAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  const itemId = str(form, "itemId");
  try {
    await performAsActor((tx, actor) =>
      decideItem(
        tx,
        actor,
        {
          itemId,
          decision: str(form, "decision") as "KEEP",
          newEndOn: opt(form, "newEndOn"),
          comment: opt(form, "comment"),
          shownAt: opt(form, "shownAt"),
        },
        new Date(),
      ),
    );
  } catch (error) {
    return decidedError(error, values);
  }
  revalidatePath("/reviews/inbox");
  redirect(`/reviews/items/${itemId}?decided=1`);
}

/** Hand an item to another reviewer (its reviewer, or a manager of its campaign). */
export async function reassignReviewItemAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  const itemId = str(form, "itemId");
  try {
    await performAsActor((tx, actor) =>
      reassignItems(tx, actor, { itemIds: [itemId], reviewerId: str(form, "reviewerId"), reason: str(form, "reason") }, new Date()),
    );
  } catch (error) {
    return decidedError(error, values);
  }
  revalidatePath("/reviews/inbox");
  redirect(`/reviews/items/${itemId}?reassigned=1`);
}

export type BulkReviewState = ActionState & { decided?: number };

/**
 * One decision with one justification for the items ticked (grouped by campaign) or for every open
 * item matching the inbox's filter (in each campaign it covers), all in one transaction: a foreign
 * or already-decided item refuses the whole call and nothing changes.
 */
export async function bulkDecideReviewAction(_prev: BulkReviewState, form: FormData): Promise<BulkReviewState> {
  const values = formValues(form);
  const t = await getTranslations("reviewsInbox.bulk");
  try {
    const decision = str(form, "decision") as "KEEP" | "END" | "RECOMMENDED";
    const comment = str(form, "comment");
    const now = new Date();
    let decided = 0;
    if (str(form, "scope") === "filter") {
      const campaign = opt(form, "campaign");
      const filter = {
        systemId: opt(form, "system"),
        recommendation: opt(form, "recommendation") as "ANY" | undefined,
        sensitive: opt(form, "sensitive") as "YES" | undefined,
      };
      decided = await performAsActor(async (tx, actor) => {
        const campaigns = campaign ? [campaign] : (await reviewInboxChoices(actor, now)).campaigns.map((c) => c.id);
        if (!campaigns.length) throw new DomainError("REVIEW_BULK_FOREIGN");
        let n = 0;
        let nothingRecommended = 0;
        for (const campaignId of campaigns) {
          try {
            n += (await bulkDecideItems(tx, actor, { campaignId, filter, decision, comment }, now)).decided;
          } catch (error) {
            // Accepting recommendations over several campaigns: one without any is not a failure of the others.
            if (error instanceof DomainError && error.code === "REVIEW_NOTHING_RECOMMENDED" && campaigns.length > 1) nothingRecommended++;
            else throw error;
          }
        }
        if (nothingRecommended === campaigns.length) throw new DomainError("REVIEW_NOTHING_RECOMMENDED");
        return n;
      });
    } else {
      const itemIds = [...new Set(form.getAll("itemId").map(String))];
      if (!itemIds.length) return { formError: t("noneSelected"), values };
      if (itemIds.some((id) => !UUID.test(id))) throw new DomainError("VALIDATION", { field: "itemIds" });
      const refs = await getDb().reviewItem.findMany({ where: { id: { in: itemIds } }, select: { id: true, campaignId: true } });
      if (refs.length !== itemIds.length) throw new DomainError("REVIEW_BULK_FOREIGN");
      const byCampaign = new Map<string, string[]>();
      for (const r of refs) byCampaign.set(r.campaignId, [...(byCampaign.get(r.campaignId) ?? []), r.id]);
      decided = await performAsActor(async (tx, actor) => {
        let n = 0;
        for (const [campaignId, ids] of [...byCampaign].sort(([a], [b]) => a.localeCompare(b)))
          n += (await bulkDecideItems(tx, actor, { campaignId, itemIds: ids, decision, comment }, now)).decided;
        return n;
      });
    }
    revalidatePath("/reviews/inbox");
    return { ok: true, decided, notice: t("done", { count: decided }) };
  } catch (error) {
    return actionError(error, values);
  }
}
