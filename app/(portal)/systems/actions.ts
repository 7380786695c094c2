"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { performAsActor } from "@/lib/http/perform";
import { actionError, formValues, type ActionState } from "@/lib/http/action-state";
import { createBusinessSystem } from "@/lib/systems/create-business-system";
import { updateBusinessSystem } from "@/lib/systems/update-business-system";
import { createPermission, updatePermission } from "@/lib/systems/permissions";
import { createJobRole, updateJobRole } from "@/lib/systems/job-roles";
import { changeRoleMatrix } from "@/lib/systems/change-role-matrix";
import { submitMatrixChange } from "@/lib/requests/submit-matrix-change";
import { formatRequestNumber } from "@/lib/requests/workflow";

const fields = (form: FormData) => Object.fromEntries([...form.entries()].filter(([k, v]) => typeof v === "string" && !k.startsWith("$")));

async function run(
  form: FormData,
  revalidate: string,
  work: (input: Record<string, FormDataEntryValue>) => Promise<unknown>,
): Promise<ActionState> {
  const values = formValues(form);
  try {
    await work(fields(form));
    revalidatePath(revalidate);
    const t = await getTranslations("systems");
    return { ok: true, notice: t("saved") };
  } catch (error) {
    return actionError(error, values);
  }
}

export async function createSystemAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return run(form, "/systems", (input) => performAsActor((tx, actor) => createBusinessSystem(tx, actor, input as never)));
}

export async function updateSystemAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return run(form, `/systems/${String(form.get("systemId"))}`, (input) =>
    performAsActor((tx, actor) => updateBusinessSystem(tx, actor, input as never)),
  );
}

export async function savePermissionAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const systemId = String(form.get("systemId"));
  return run(form, `/systems/${systemId}`, (input) =>
    performAsActor((tx, actor) =>
      input.permissionId ? updatePermission(tx, actor, input as never) : createPermission(tx, actor, input as never),
    ),
  );
}

export async function saveJobRoleAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const systemId = String(form.get("systemId"));
  return run(form, `/systems/${systemId}`, (input) =>
    performAsActor((tx, actor) => (input.roleId ? updateJobRole(tx, actor, input as never) : createJobRole(tx, actor, input as never))),
  );
}

/** The matrix form sends every cell's new state and the state it showed; only toggles are applied. */
export async function saveMatrixAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const systemId = String(form.get("systemId"));
  // The form names a cell by its place on the page ("row:column") and lists the page's role and
  // permission ids once (components/systems/matrix-form.tsx); a place off the page names nothing.
  const ids = (name: string) =>
    String(form.get(name) ?? "")
      .split(",")
      .filter(Boolean)
      .slice(0, 1000);
  const roleIds = ids("roleIds");
  const permissionIds = ids("permissionIds");
  const cellKey = (place: string) => {
    const [r, p] = place.split(":").map((n) => (/^\d{1,4}$/.test(n ?? "") ? Number(n) : -1));
    const roleId = roleIds[r ?? -1];
    const permissionId = permissionIds[p ?? -1];
    return roleId && permissionId ? `${roleId}:${permissionId}` : null;
  };
  const keys = (places: string[]) => new Set(places.map(cellKey).filter((k): k is string => k !== null));
  const shown = keys(
    String(form.get("shown") ?? "")
      .split(",")
      .filter(Boolean),
  );
  const checked = keys(form.getAll("cell").map(String));
  const toCell = (key: string) => {
    const [roleId = "", permissionId = ""] = key.split(":");
    return { roleId, permissionId };
  };
  const add = [...checked].filter((k) => !shown.has(k)).map(toCell);
  const remove = [...shown].filter((k) => !checked.has(k)).map(toCell);
  const values = { reason: String(form.get("reason") ?? "") };
  try {
    if (add.length === 0 && remove.length === 0) {
      const t = await getTranslations("systems");
      return { formError: t("matrixNoChange"), values };
    }
    if (add.length) {
      // Giving permissions to roles is approved by the owning department's leader first (R8).
      const request = await performAsActor((tx, actor) => submitMatrixChange(tx, actor, { systemId, add, remove, reason: values.reason }));
      revalidatePath(`/systems/${systemId}`, "layout");
      const tr = await getTranslations("requests.matrix");
      return {
        ok: true,
        notice: tr("submitted", { number: formatRequestNumber(request.number), added: add.length, removed: remove.length }),
      };
    }
    const result = await performAsActor((tx, actor) => changeRoleMatrix(tx, actor, { systemId, add, remove, reason: values.reason }));
    revalidatePath(`/systems/${systemId}`, "layout");
    const t = await getTranslations("systems");
    return { ok: true, notice: t("matrixSaved", { added: result.added, removed: result.removed }) };
  } catch (error) {
    return actionError(error, values);
  }
}
