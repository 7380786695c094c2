"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { performAsActor } from "@/lib/http/perform";
import { actionError, formValues, type ActionState } from "@/lib/http/action-state";
import { isDomainError } from "@/lib/errors";
import { createVaultScenario } from "@/lib/vault/create-vault-scenario";
import { updateVaultScenario } from "@/lib/vault/update-vault-scenario";

function approverFields(form: FormData) {
  return {
    name: String(form.get("name") ?? ""),
    nameEn: String(form.get("nameEn") ?? ""),
    description: String(form.get("description") ?? ""),
    approverRoles: form.getAll("approverRoles").map(String) as never[],
    approverEmployeeNos: String(form.get("approverEmployeeNos") ?? "")
      .split(/[\s,，;；]+/)
      .filter(Boolean),
    validForSeconds: String(form.get("validForSeconds") ?? ""),
    reason: String(form.get("reason") ?? ""),
  };
}

/** Errors about approvers say which employee numbers are unknown, or that someone must approve. */
async function scenarioError(error: unknown, values: Record<string, string>): Promise<ActionState> {
  const state = await actionError(error, values);
  if (isDomainError(error) && error.code === "VALIDATION") {
    const t = await getTranslations("vault.admin");
    if (error.field === "approverEmployeeNos")
      return { ...state, fieldErrors: { approverEmployeeNos: t("unknownPeople", { list: String(error.params.list ?? "") }) } };
    if (error.field === "approverRoles") return { ...state, fieldErrors: { approverRoles: t("needApprover") } };
  }
  return state;
}

export async function createScenarioAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  try {
    await performAsActor((tx, actor) =>
      createVaultScenario(tx, actor, {
        code: String(form.get("code") ?? ""),
        systemId: String(form.get("systemId") ?? ""),
        ...approverFields(form),
      }),
    );
    revalidatePath("/admin/vault");
    return { ok: true, notice: (await getTranslations("vault.admin"))("created") };
  } catch (error) {
    return scenarioError(error, values);
  }
}

export async function updateScenarioAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  try {
    await performAsActor((tx, actor) =>
      updateVaultScenario(tx, actor, {
        scenarioId: String(form.get("scenarioId") ?? ""),
        isActive: form.get("isActive") === "on",
        ...approverFields(form),
      }),
    );
    revalidatePath("/admin/vault");
    return { ok: true, notice: (await getTranslations("vault.admin"))("saved") };
  } catch (error) {
    return scenarioError(error, values);
  }
}
