"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { performAsActor } from "@/lib/http/perform";
import { actionError, formValues, type ActionState } from "@/lib/http/action-state";
import { updateRequestSettings } from "@/lib/requests/update-request-settings";

export async function updateRequestSettingsAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  try {
    const get = (k: string) => String(form.get(k) ?? "");
    await performAsActor((tx, actor) =>
      updateRequestSettings(tx, actor, {
        maxSensitiveDays: get("maxSensitiveDays"),
        maxDays: get("maxDays"),
        maxElevationHours: get("maxElevationHours"),
        reminderAfterHours: get("reminderAfterHours"),
        escalateAfterDays: get("escalateAfterDays"),
        expireAfterDays: get("expireAfterDays"),
        moverReviewDays: get("moverReviewDays"),
        reason: get("reason"),
      } as never),
    );
    revalidatePath("/admin/settings");
    const t = await getTranslations("requests.settings");
    return { ok: true, notice: t("saved") };
  } catch (error) {
    return actionError(error, values);
  }
}
