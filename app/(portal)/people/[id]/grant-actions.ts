"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { performAsActor } from "@/lib/http/perform";
import { actionError, formValues, type ActionState } from "@/lib/http/action-state";
import { grantRole } from "@/lib/grants/grant-role";
import { revokeGrant } from "@/lib/grants/revoke-grant";

export async function grantRoleAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  const personId = String(form.get("personId") ?? "");
  try {
    const endsOn = String(form.get("endsOn") ?? "");
    await performAsActor((tx, actor) =>
      grantRole(tx, actor, {
        personId,
        roleId: String(form.get("roleId") ?? ""),
        loginName: String(form.get("loginName") ?? ""),
        endsAt: endsOn ? new Date(`${endsOn}T23:59:59.999Z`) : undefined,
        reason: String(form.get("reason") ?? ""),
        basis: String(form.get("basis") ?? "") || undefined,
      }),
    );
    revalidatePath(`/people/${personId}`);
    const t = await getTranslations("access");
    return { ok: true, notice: t("granted") };
  } catch (error) {
    return actionError(error, values);
  }
}

export async function revokeGrantAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  try {
    await performAsActor((tx, actor) => revokeGrant(tx, actor, { grantId: String(form.get("grantId") ?? ""), reason: String(form.get("reason") ?? "") }));
    revalidatePath(`/people/${String(form.get("personId") ?? "")}`);
    const t = await getTranslations("access");
    return { ok: true, notice: t("revoked") };
  } catch (error) {
    return actionError(error, values);
  }
}
