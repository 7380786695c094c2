"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { performAsActor } from "@/lib/http/perform";
import { actionError, formValues, type ActionState } from "@/lib/http/action-state";
import { offboardPerson } from "@/lib/offboarding/offboard-person";
import { offboardVendor } from "@/lib/offboarding/offboard-vendor";
import { cancelOffboarding } from "@/lib/offboarding/cancel-offboarding";

const str = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};

/** HR offboards one person, now or on their last working day; the receipt opens. */
export async function offboardPersonAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  let caseId: string;
  try {
    const done = await performAsActor((tx, actor) =>
      offboardPerson(tx, actor, {
        personId: str(form, "personId"),
        lastWorkingDay: str(form, "lastWorkingDay"),
        reason: str(form, "reason"),
      }),
    );
    caseId = done.caseId;
  } catch (error) {
    return actionError(error, formValues(form));
  }
  revalidatePath("/offboarding");
  revalidatePath("/people");
  redirect(`/offboarding/${caseId}`);
}

/** Every person of a vendor at once; the cases of the batch are listed. */
export async function offboardVendorAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  let batchId: string;
  let people: number;
  try {
    const done = await performAsActor((tx, actor) =>
      offboardVendor(tx, actor, { vendorId: str(form, "vendorId"), mode: str(form, "mode") as "TERMINATED", reason: str(form, "reason") }),
    );
    batchId = done.batchId;
    people = done.people;
  } catch (error) {
    return actionError(error, formValues(form));
  }
  revalidatePath("/offboarding");
  revalidatePath("/vendors");
  if (people === 0) return { ok: true, notice: (await getTranslations("offboarding.vendor"))("done", { count: 0 }) };
  redirect(`/offboarding?batch=${batchId}&status=ALL`);
}

export async function cancelOffboardingAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  try {
    await performAsActor((tx, actor) => cancelOffboarding(tx, actor, { caseId: str(form, "caseId"), reason: str(form, "reason") }));
  } catch (error) {
    return actionError(error, values);
  }
  const id = str(form, "caseId");
  revalidatePath(`/offboarding/${id}`);
  revalidatePath("/offboarding");
  return { ok: true, notice: (await getTranslations("offboarding.receipt"))("cancelled") };
}
