"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { performAsActor } from "@/lib/http/perform";
import { actionError, type ActionState } from "@/lib/http/action-state";
import { giveUpGrant } from "@/lib/access/give-up-grant";

const str = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};

export async function giveUpGrantAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    await performAsActor((tx, actor) => giveUpGrant(tx, actor, { grantId: str(form, "grantId"), reason: str(form, "reason") }));
  } catch (error) {
    return actionError(error);
  }
  // The row is gone from the list: the notice goes at the top of the page.
  revalidatePath("/access");
  redirect("/access?done=given-up");
}
