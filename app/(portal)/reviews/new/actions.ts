"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { performAsActor } from "@/lib/http/perform";
import { actionError, formValues, translateDomainError, type ActionState } from "@/lib/http/action-state";
import { DomainError } from "@/lib/errors";
import { defineReview, retireDefinition, startCampaignNow } from "@/lib/reviews/define";
import { LONG_TX_MS } from "@/lib/reviews/close-campaign";
import { definitionErrorCodes, definitionInputFromForm } from "@/lib/reviews/campaign-form";

const str = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};

/** A refusal of the definition form: a translated message per field path (zod paths like stages.0.reviewerIds). */
async function definitionError(error: unknown, values: Record<string, string>): Promise<ActionState> {
  const codes = definitionErrorCodes(error);
  if (!codes) return actionError(error, values);
  const [t, tValidation, tErrors] = await Promise.all([
    getTranslations("reviewsCampaigns.validation"),
    getTranslations("validation"),
    getTranslations("errors"),
  ]);
  if (error instanceof DomainError) {
    const message = await translateDomainError(error);
    return { formError: message, fieldErrors: error.field ? { [error.field]: message } : undefined, values };
  }
  const fieldErrors: Record<string, string> = {};
  for (const [path, code] of Object.entries(codes.fields))
    fieldErrors[path] = t.has(code) ? t(code) : tValidation.has(code) ? tValidation(code) : tValidation("invalid");
  return { formError: tErrors("VALIDATION"), fieldErrors, values };
}

/** Defines a review; a start of today starts its first campaign at once (then its progress opens). */
export async function defineReviewAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  let campaignId: string | null;
  try {
    const done = await performAsActor((tx, actor) => defineReview(tx, actor, definitionInputFromForm(form)), { timeoutMs: LONG_TX_MS });
    campaignId = done.campaign?.campaignId ?? null;
  } catch (error) {
    return definitionError(error, values);
  }
  revalidatePath("/reviews");
  redirect(campaignId ? `/reviews/${campaignId}` : "/reviews?defined=1");
}

export async function retireDefinitionAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  try {
    await performAsActor((tx, actor) =>
      retireDefinition(tx, actor, { definitionId: str(form, "definitionId"), reason: str(form, "reason") }),
    );
  } catch (error) {
    return actionError(error, values);
  }
  revalidatePath("/reviews");
  return { ok: true, notice: (await getTranslations("reviewsCampaigns.list"))("retired") };
}

export async function startCampaignNowAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  let campaignId: string;
  try {
    const done = await performAsActor((tx, actor) => startCampaignNow(tx, actor, str(form, "definitionId")), { timeoutMs: LONG_TX_MS });
    campaignId = done.campaignId;
  } catch (error) {
    return actionError(error);
  }
  revalidatePath("/reviews");
  redirect(`/reviews/${campaignId}`);
}
