"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { performAsActor } from "@/lib/http/perform";
import { actionError, formValues, type ActionState } from "@/lib/http/action-state";
import { DomainError } from "@/lib/errors";
import { decideItem } from "@/lib/reviews/decide";
import { decideFromInbox } from "@/lib/reviews/decide-from-inbox";
import { reassignItems } from "@/lib/reviews/remind-escalate";

// The reviewer's server actions (issue 12 §4): thin — the actor, the form's strings, the use case in
// one transaction (it authorizes, validates and audits), translated errors, never a 500.

const str = (form: FormData, key: string) => String(form.get(key) ?? "");
const opt = (form: FormData, key: string) => str(form, key) || undefined;

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

const QUICK = /^(KEEP|END):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const INBOX_FILTER_KEYS = ["campaign", "system", "recommendation", "sensitive", "q", "cursor"] as const;

/**
 * A row's Keep or End in the inbox (the pressed button says `KEEP:<item id>` or `END:<item id>`): the
 * same decideItem as the item page, without a comment, so a sensitive keep is refused there
 * (REVIEW_COMMENT_REQUIRED) and a second decision gets REVIEW_ITEM_DECIDED. Back to the same filter and page.
 */
export async function quickDecideReviewAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const match = QUICK.exec(str(form, "quick"));
  const decision = match?.[1]!.toUpperCase() as "KEEP" | "END" | undefined;
  try {
    if (!match || !decision) throw new DomainError("VALIDATION", { field: "quick" });
    await performAsActor((tx, actor) => decideItem(tx, actor, { itemId: match[2]!, decision, shownAt: opt(form, "shownAt") }, new Date()));
  } catch (error) {
    return decidedError(error, {});
  }
  revalidatePath("/reviews/inbox");
  const back = new URLSearchParams(INBOX_FILTER_KEYS.map((k) => [k, str(form, k).slice(0, 1000)] as [string, string]).filter(([, v]) => v));
  back.set("quick", decision);
  redirect(`/reviews/inbox?${back}`);
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

/** The bulk bar: one decision with one justification (lib/reviews/decide-from-inbox.ts). */
export async function bulkDecideReviewAction(_prev: BulkReviewState, form: FormData): Promise<BulkReviewState> {
  const values = formValues(form);
  const t = await getTranslations("reviewsInbox.bulk");
  let done: number;
  try {
    const decided = await performAsActor((tx, actor) =>
      decideFromInbox(
        tx,
        actor,
        {
          scope: str(form, "scope") === "filter" ? "filter" : "selected",
          itemIds: form.getAll("itemId").map(String),
          filter: {
            campaign: opt(form, "campaign"),
            system: opt(form, "system"),
            recommendation: opt(form, "recommendation") as "ANY" | undefined,
            sensitive: opt(form, "sensitive") as "YES" | undefined,
          },
          decision: str(form, "decision") as "KEEP",
          comment: str(form, "comment"),
        },
        new Date(),
      ),
    );
    done = decided;
  } catch (error) {
    const state = await actionError(error, values);
    return state.fieldErrors?.itemIds ? { ...state, formError: t("noneSelected") } : state;
  }
  revalidatePath("/reviews/inbox");
  // Back to the same filter, saying how many were decided (the bar itself may be gone: nothing left).
  const back = new URLSearchParams(
    Object.entries({
      campaign: str(form, "campaign"),
      system: str(form, "system"),
      recommendation: str(form, "recommendation"),
      sensitive: str(form, "sensitive"),
      q: str(form, "q"),
    }).filter(([, v]) => v),
  );
  back.set("done", String(done));
  redirect(`/reviews/inbox?${back}`);
}
