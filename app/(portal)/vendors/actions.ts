"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { performAsActor } from "@/lib/http/perform";
import { actionError, formValues, type ActionState } from "@/lib/http/action-state";
import { createVendor } from "@/lib/vendors/create-vendor";
import { updateVendor } from "@/lib/vendors/update-vendor";

const str = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};

export async function createVendorAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  try {
    await performAsActor((tx, actor) =>
      createVendor(tx, actor, {
        name: str(form, "name"),
        contractStartsOn: str(form, "contractStartsOn"),
        contractEndsOn: str(form, "contractEndsOn"),
        contactName: str(form, "contactName"),
        contactPhone: str(form, "contactPhone"),
        contactEmail: str(form, "contactEmail"),
      }),
    );
    revalidatePath("/vendors");
    const t = await getTranslations("vendors");
    return { ok: true, notice: t("created") };
  } catch (error) {
    return actionError(error, values);
  }
}

export async function updateVendorAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  // The contact's phone and e-mail are write-only: never echoed back into the form.
  const values = formValues(form, ["contactPhone", "contactEmail"]);
  try {
    const result = await performAsActor((tx, actor) =>
      updateVendor(tx, actor, {
        vendorId: str(form, "vendorId"),
        name: str(form, "name"),
        contractStartsOn: str(form, "contractStartsOn"),
        contractEndsOn: str(form, "contractEndsOn"),
        contactName: str(form, "contactName"),
        contactPhone: str(form, "contactPhone"),
        contactEmail: str(form, "contactEmail"),
        clearContactPhone: str(form, "clearContactPhone"),
        clearContactEmail: str(form, "clearContactEmail"),
        reason: str(form, "reason"),
      }),
    );
    revalidatePath("/vendors");
    const t = await getTranslations("vendors");
    return { ok: true, notice: result.changed.length ? t("saved") : t("unchanged") };
  } catch (error) {
    return actionError(error, values);
  }
}
