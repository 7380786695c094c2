"use server";

import { after } from "next/server";
import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { performAsActor } from "@/lib/http/perform";
import { actionError, formValues, type ActionState } from "@/lib/http/action-state";
import { updateClassificationSettings } from "@/lib/settings/update-classification-settings";
import { enqueueJob } from "@/lib/jobs/boss";
import { log } from "@/lib/log";

/**
 * Which sensitivity levels are sensitive. Once saved, a run of the policy check is queued for the worker
 * (after any check in progress), so the violations page follows the new setting. Were the process to
 * stop first, nothing is lost: the save itself queued an "everyone" row (decision 0029), and the next
 * minute's incremental check runs the full check for it.
 */
export async function updateClassificationAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  try {
    const result = await performAsActor((tx, actor) =>
      updateClassificationSettings(tx, actor, {
        sensitiveLevels: form.getAll("sensitiveLevels").map(String) as never,
        reason: String(form.get("reason") ?? ""),
      }).then((r) => ({ ...r, ctx: actor.ctx })),
    );
    const t = await getTranslations("lifecycle.classification");
    if (!result.changed) return { ok: true, notice: t("unchanged") };
    after(() =>
      enqueueJob("policy-recheck", { cause: "classification-change", ctx: result.ctx }).catch((err: unknown) =>
        log.error({ err }, "queueing the policy recheck after a classification change failed"),
      ),
    );
    revalidatePath("/admin/settings");
    revalidatePath("/roster");
    revalidatePath("/policy");
    return { ok: true, notice: t("saved") };
  } catch (error) {
    return actionError(error, values);
  }
}
