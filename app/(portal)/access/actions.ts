"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
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
    revalidatePath("/access");
    const t = await getTranslations("myAccess");
    return { ok: true, notice: t("gaveUp") };
  } catch (error) {
    return actionError(error);
  }
}
