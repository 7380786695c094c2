"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { performAsActor } from "@/lib/http/perform";
import { actionError, formValues, type ActionState } from "@/lib/http/action-state";
import { revealPersonPii } from "@/lib/people/reveal-pii";
import { setAccountStatus } from "@/lib/accounts/set-account-status";
import { resetMfa } from "@/lib/accounts/reset-mfa";
import { revokeAllSessions } from "@/lib/auth/sign-out";
import { ReasonInput } from "@/lib/validation";

export type RevealState = { value?: string | null; error?: string };

export async function revealPiiAction(personId: string, field: string, vaultRequestId?: string): Promise<RevealState> {
  try {
    const value = await performAsActor((tx, actor) => revealPersonPii(tx, actor, { personId, field: field as "phone", vaultRequestId }));
    return { value };
  } catch (error) {
    const state = await actionError(error);
    return { error: state.formError };
  }
}

export async function accountAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  const op = String(form.get("op") ?? "");
  const accountId = String(form.get("accountId") ?? "");
  const personId = String(form.get("personId") ?? "");
  const reason = String(form.get("reason") ?? "");
  try {
    const t = await getTranslations("personDetail");
    if (op === "lock" || op === "unlock" || op === "disable" || op === "enable") {
      await performAsActor((tx, actor) => setAccountStatus(tx, actor, { accountId, change: op, reason }));
    } else if (op === "reset-mfa") {
      await performAsActor((tx, actor) => resetMfa(tx, actor, { accountId, reason }));
    } else if (op === "revoke-sessions") {
      const validReason = ReasonInput.parse(reason);
      await performAsActor((tx, actor) => revokeAllSessions(tx, actor, accountId, validReason));
    } else {
      const te = await getTranslations("errors");
      return { formError: te("VALIDATION"), values };
    }
    revalidatePath(`/people/${personId}`);
    return { ok: true, notice: t(`done.${op}`) };
  } catch (error) {
    return actionError(error, values);
  }
}
