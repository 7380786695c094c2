"use server";

import { getTranslations } from "next-intl/server";
import { signOut as endAuthJsSession } from "@/lib/auth/auth-config";
import { performAsActor } from "@/lib/http/perform";
import { actionError, type ActionState } from "@/lib/http/action-state";
import { regenerateRecoveryCodes } from "@/lib/accounts/regenerate-recovery-codes";
import { revokeAllSessions } from "@/lib/auth/sign-out";
import { ChangePasswordInput, changePassword } from "@/lib/auth/change-password";
import { revalidatePath } from "next/cache";

export type CodesState = ActionState & { codes?: string[] };

export async function regenerateCodesAction(): Promise<CodesState> {
  try {
    const codes = await performAsActor((tx, actor) => regenerateRecoveryCodes(tx, actor));
    return { ok: true, codes };
  } catch (error) {
    return actionError(error);
  }
}

export async function signOutEverywhereAction(): Promise<ActionState> {
  try {
    await performAsActor((tx, actor) => revokeAllSessions(tx, actor, actor.accountId, "sign-out-everywhere"));
  } catch (error) {
    return actionError(error);
  }
  await endAuthJsSession({ redirectTo: "/sign-in?reason=signed-out" });
  return {};
}

export async function changePasswordAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    const input = ChangePasswordInput.parse({
      currentPassword: form.get("currentPassword") ?? "",
      newPassword: form.get("newPassword") ?? "",
      confirmPassword: form.get("confirmPassword") ?? "",
    });
    // The password page is reachable while a change is required, so no must-change redirect here.
    await performAsActor((tx, actor) => changePassword(tx, actor, input), { allowPasswordChange: true });
    revalidatePath("/", "layout");
    const t = await getTranslations("password");
    return { ok: true, notice: t("changed") };
  } catch (error) {
    return actionError(error);
  }
}
