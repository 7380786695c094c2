"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { performAsActor } from "@/lib/http/perform";
import { actionError, formValues, type ActionState } from "@/lib/http/action-state";
import { endElevation } from "@/lib/access/end-elevation";

const str = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};

export async function endElevationAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  try {
    await performAsActor((tx, actor) => endElevation(tx, actor, { grantId: str(form, "grantId"), reason: str(form, "reason") }));
  } catch (error) {
    return actionError(error, values);
  }
  revalidatePath("/elevations");
  redirect("/elevations?done=ended");
}
