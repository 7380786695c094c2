"use server";

import { revalidatePath } from "next/cache";
import { performAsActor } from "@/lib/http/perform";
import { actionError, formValues, type ActionState } from "@/lib/http/action-state";
import { issueOneTimePassword } from "@/lib/accounts/issue-one-time-password";

export type OneTimePasswordState = ActionState & { password?: string };

/** Issues a one-time password; it travels back in this answer only and is shown once. */
export async function issueOneTimePasswordAction(_prev: OneTimePasswordState, form: FormData): Promise<OneTimePasswordState> {
  const values = formValues(form);
  const personId = String(form.get("personId") ?? "");
  try {
    const result = await performAsActor((tx, actor) =>
      issueOneTimePassword(tx, actor, { personId, reason: String(form.get("reason") ?? "") }),
    );
    revalidatePath(`/people/${personId}`);
    return { ok: true, password: result.password };
  } catch (error) {
    return actionError(error, values);
  }
}
