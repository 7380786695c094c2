"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { performAsActor } from "@/lib/http/perform";
import { actionError, formValues, type ActionState } from "@/lib/http/action-state";
import { closeCampaign, LONG_TX_MS } from "@/lib/reviews/close-campaign";

const str = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};

/** Closes a campaign early with a reason: undecided items get their default, decisions are applied. */
export async function closeCampaignAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  let defaulted: number;
  try {
    const done = await performAsActor(
      (tx, actor) => closeCampaign(tx, actor, { campaignId: str(form, "campaignId"), reason: str(form, "reason") }),
      { timeoutMs: LONG_TX_MS },
    );
    defaulted = done.defaulted;
  } catch (error) {
    return actionError(error, values);
  }
  const id = str(form, "campaignId");
  revalidatePath(`/reviews/${id}`);
  revalidatePath("/reviews");
  return { ok: true, notice: (await getTranslations("reviewsCampaigns.detail"))("closed", { defaulted }) };
}
