"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { performAsActor } from "@/lib/http/perform";
import { actionError, formValues, type ActionState } from "@/lib/http/action-state";
import { updatePerson } from "@/lib/people/update-person";
import { changePersonStatus } from "@/lib/people/change-person-status";

const str = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};

export async function updatePersonAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const jobCategories = form.getAll("jobCategories").filter((v): v is string => typeof v === "string");
  // Personal data is write-only in this form (R15): never echoed back.
  const values = { ...formValues(form, ["phone", "email", "idNumber"]), jobCategories: jobCategories.join(",") };
  const personId = str(form, "personId");
  try {
    const result = await performAsActor((tx, actor) =>
      updatePerson(tx, actor, {
        personId,
        name: str(form, "name"),
        orgUnitId: str(form, "orgUnitId"),
        jobTitle: str(form, "jobTitle"),
        jobCategories: jobCategories as never,
        phone: str(form, "phone"),
        email: str(form, "email"),
        idNumber: str(form, "idNumber"),
        clearPhone: str(form, "clearPhone"),
        clearEmail: str(form, "clearEmail"),
        clearIdNumber: str(form, "clearIdNumber"),
        vendorId: str(form, "vendorId"),
        sponsorEmployeeNo: str(form, "sponsorEmployeeNo"),
        contractEndsOn: str(form, "contractEndsOn"),
        reason: str(form, "reason"),
        // R5: the form's confirmation that a job change may revoke sensitive grants (unticked = "").
        confirmMover: str(form, "confirmMover"),
      }),
    );
    revalidatePath(`/people/${personId}`);
    const [t, tm] = await Promise.all([getTranslations("staffAdmin"), getTranslations("lifecycle.mover")]);
    if (result.sensitiveGrantsRevoked.length) return { ok: true, notice: tm("saved", { count: result.sensitiveGrantsRevoked.length }) };
    return { ok: true, notice: result.changed.length ? t("saved") : t("unchanged") };
  } catch (error) {
    return actionError(error, values);
  }
}

export async function changePersonStatusAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  const personId = str(form, "personId");
  try {
    const result = await performAsActor((tx, actor) =>
      changePersonStatus(tx, actor, {
        personId,
        status: str(form, "status") as never,
        expectedStatus: str(form, "expectedStatus") as never,
        reason: str(form, "reason"),
      }),
    );
    revalidatePath(`/people/${personId}`);
    const [t, tp] = await Promise.all([getTranslations("staffAdmin"), getTranslations("people")]);
    return {
      ok: true,
      notice: t("statusChanged", {
        status: tp(`statuses.${result.status}`),
        sessions: result.sessionsEnded,
        grants: result.grantIds.length,
      }),
    };
  } catch (error) {
    return actionError(error, values);
  }
}
