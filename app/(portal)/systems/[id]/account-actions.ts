"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { performAsActor } from "@/lib/http/perform";
import { actionError, formValues, type ActionState } from "@/lib/http/action-state";
import { changeSlaveAccountStatus } from "@/lib/slave-accounts/change-slave-account-status";
import { assignSlaveAccountOwner } from "@/lib/slave-accounts/assign-slave-account-owner";

const str = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};

// The pages that show the account: its system's and its owner's (ids only, never a free path).
function revalidateAccountPages(form: FormData) {
  for (const [prefix, name] of [
    ["/systems/", "systemId"],
    ["/people/", "personId"],
  ] as const) {
    const id = str(form, name);
    if (/^[0-9a-f-]{36}$/i.test(id)) revalidatePath(`${prefix}${id}`);
  }
}

/** Lock, unlock, disable, re-enable or delete a slave account (its system's account administrators). */
export async function changeSlaveAccountStatusAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  try {
    const change = str(form, "change");
    const result = await performAsActor((tx, actor) =>
      changeSlaveAccountStatus(tx, actor, {
        slaveAccountId: str(form, "slaveAccountId"),
        change: change as never,
        expectedStatus: str(form, "expectedStatus") as never,
        reason: str(form, "reason"),
      }),
    );
    revalidateAccountPages(form);
    const t = await getTranslations("lifecycle.accounts");
    return { ok: true, notice: t(`done.${change as "lock"}`, { grants: result.grantIds.length }) };
  } catch (error) {
    return actionError(error, values);
  }
}

/** Give an orphan account its owner (by employee number). */
export async function assignSlaveAccountOwnerAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  try {
    await performAsActor((tx, actor) =>
      assignSlaveAccountOwner(tx, actor, {
        slaveAccountId: str(form, "slaveAccountId"),
        employeeNo: str(form, "employeeNo"),
        reason: str(form, "reason"),
      }),
    );
    revalidateAccountPages(form);
    const t = await getTranslations("lifecycle.accounts");
    return { ok: true, notice: t("assigned") };
  } catch (error) {
    return actionError(error, values);
  }
}
