"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { performAsActor } from "@/lib/http/perform";
import { actionError, formValues, type ActionState } from "@/lib/http/action-state";
import { updateSecuritySettings } from "@/lib/settings/update-security-settings";
import { z } from "zod";
import { ReasonInput } from "@/lib/validation";

export async function updateSettingsAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  try {
    const input = {
      passwordProfile: form.get("passwordProfile"),
      mfaRequiredRoles: form.getAll("mfaRequiredRoles"),
      lockoutThreshold: form.get("lockoutThreshold"),
      lockoutMinutes: form.get("lockoutMinutes"),
      ipThrottleThreshold: form.get("ipThrottleThreshold"),
      ipThrottleWindowMinutes: form.get("ipThrottleWindowMinutes"),
      idleTimeoutMinutes: form.get("idleTimeoutMinutes"),
      absoluteTimeoutHours: form.get("absoluteTimeoutHours"),
      rootApproverEmployeeNo: form.get("rootApproverEmployeeNo") ?? "",
    };
    const reason = z.object({ reason: ReasonInput }).parse({ reason: form.get("reason") ?? "" }).reason;
    await performAsActor((tx, actor) => updateSecuritySettings(tx, actor, input, reason));
    revalidatePath("/admin/settings");
    const t = await getTranslations("settings");
    return { ok: true, notice: t("saved") };
  } catch (error) {
    return actionError(error, values);
  }
}
