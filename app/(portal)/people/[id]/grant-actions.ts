"use server";

import { revalidatePath } from "next/cache";
import { endOfDay } from "@/lib/time/calendar";
import { getTranslations } from "next-intl/server";
import { performAsActor } from "@/lib/http/perform";
import { actionError, formValues, type ActionState } from "@/lib/http/action-state";
import { grantRole } from "@/lib/grants/grant-role";
import { revokeGrant } from "@/lib/grants/revoke-grant";
import { isDomainError } from "@/lib/errors";

// vaultRequired: an administrative role needs a security officer's live approval first (R14); the form
// then shows the approver picker and submits again with the approval's id.
export async function grantRoleAction(_prev: ActionState, form: FormData): Promise<ActionState & { vaultRequired?: boolean }> {
  const values = formValues(form);
  const personId = String(form.get("personId") ?? "");
  try {
    const endsOn = String(form.get("endsOn") ?? "");
    await performAsActor((tx, actor) =>
      grantRole(tx, actor, {
        personId,
        roleId: String(form.get("roleId") ?? ""),
        loginName: String(form.get("loginName") ?? ""),
        endsAt: endsOn ? endOfDay(endsOn) : undefined,
        reason: String(form.get("reason") ?? ""),
        basis: String(form.get("basis") ?? "") || undefined,
        vaultRequestId: String(form.get("vaultRequestId") ?? "") || undefined,
      }),
    );
    revalidatePath(`/people/${personId}`);
    const t = await getTranslations("access");
    return { ok: true, notice: t("granted") };
  } catch (error) {
    const state = await actionError(error, values);
    return isDomainError(error) && error.code === "VAULT_APPROVAL_REQUIRED" ? { ...state, vaultRequired: true } : state;
  }
}

export async function revokeGrantAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  try {
    await performAsActor((tx, actor) =>
      revokeGrant(tx, actor, { grantId: String(form.get("grantId") ?? ""), reason: String(form.get("reason") ?? "") }),
    );
    revalidatePath(`/people/${String(form.get("personId") ?? "")}`);
    const t = await getTranslations("access");
    return { ok: true, notice: t("revoked") };
  } catch (error) {
    return actionError(error, values);
  }
}
