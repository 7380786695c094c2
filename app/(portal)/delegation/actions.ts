"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getTimeZone, getTranslations } from "next-intl/server";
import { performAsActor } from "@/lib/http/perform";
import { actionError, formValues, type ActionState } from "@/lib/http/action-state";
import { createDelegation } from "@/lib/delegation/create-delegation";
import { revokeDelegation } from "@/lib/delegation/revoke-delegation";

const str = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};

export async function createDelegationAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  try {
    const timeZone = await getTimeZone();
    const { addedToStages, stayedWithDelegator } = await performAsActor((tx, actor) =>
      createDelegation(tx, actor, {
        delegatorEmployeeNo: str(form, "delegatorEmployeeNo"),
        delegateEmployeeNo: str(form, "delegateEmployeeNo"),
        startsOn: str(form, "startsOn"),
        endsOn: str(form, "endsOn"),
        reason: str(form, "reason"),
        timeZone,
      }),
    );
    revalidatePath("/delegation");
    const t = await getTranslations("delegation");
    return { ok: true, notice: t("created", { count: addedToStages, stayed: stayedWithDelegator }) };
  } catch (error) {
    return actionError(error, values);
  }
}

export async function revokeDelegationAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  let closed: number;
  try {
    ({ closedItems: closed } = await performAsActor((tx, actor) =>
      revokeDelegation(tx, actor, { delegationId: str(form, "delegationId"), reason: str(form, "reason") }),
    ));
  } catch (error) {
    return actionError(error);
  }
  // The row stays (as revoked) without its form: the notice goes at the top of the page.
  revalidatePath("/delegation");
  redirect(`/delegation?revoked=${closed}`);
}
