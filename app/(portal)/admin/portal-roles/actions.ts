"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { performAsActor } from "@/lib/http/perform";
import { actionError, formValues, type ActionState } from "@/lib/http/action-state";
import { grantPortalRole } from "@/lib/portal-roles/grant-portal-role";
import { revokePortalRole } from "@/lib/portal-roles/revoke-portal-role";
import { findPersonIdByEmployeeNo } from "@/lib/portal-roles/queries";
import { DomainError } from "@/lib/errors";

const opt = (v: FormDataEntryValue | null) => (typeof v === "string" && v ? v : undefined);

export async function grantRoleAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  try {
    const personId = await findPersonIdByEmployeeNo(String(form.get("employeeNo") ?? "").trim());
    if (!personId) throw new DomainError("NOT_FOUND", { field: "employeeNo" });
    await performAsActor((tx, actor) =>
      grantPortalRole(tx, actor, {
        personId,
        role: String(form.get("role") ?? "") as "HR",
        systemId: opt(form.get("systemId")),
        orgUnitId: opt(form.get("orgUnitId")),
        reason: String(form.get("reason") ?? ""),
      }),
    );
    revalidatePath("/admin/portal-roles");
    const t = await getTranslations("portalRoles");
    return { ok: true, notice: t("granted") };
  } catch (error) {
    return actionError(error, values);
  }
}

export async function revokeRoleAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  try {
    await performAsActor((tx, actor) =>
      revokePortalRole(tx, actor, { assignmentId: String(form.get("assignmentId") ?? ""), reason: String(form.get("reason") ?? "") }),
    );
    revalidatePath("/admin/portal-roles");
    const t = await getTranslations("portalRoles");
    return { ok: true, notice: t("revoked") };
  } catch (error) {
    return actionError(error, values);
  }
}
