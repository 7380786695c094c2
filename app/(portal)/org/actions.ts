"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { performAsActor } from "@/lib/http/perform";
import { actionError, formValues, type ActionState } from "@/lib/http/action-state";
import { createOrgUnit } from "@/lib/org/create-org-unit";
import { renameOrgUnit } from "@/lib/org/rename-org-unit";
import { moveOrgUnit } from "@/lib/org/move-org-unit";
import { setOrgUnitHead } from "@/lib/org/set-org-unit-head";
import { deactivateOrgUnit } from "@/lib/org/deactivate-org-unit";

const str = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};

async function done(notice: string): Promise<ActionState> {
  revalidatePath("/org");
  const t = await getTranslations("orgAdmin");
  return { ok: true, notice: t(notice) };
}

export async function createChildUnitAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  try {
    await performAsActor((tx, actor) =>
      createOrgUnit(tx, actor, {
        parentId: str(form, "parentId"),
        code: str(form, "code"),
        name: str(form, "name"),
        nameEn: str(form, "nameEn"),
      }),
    );
    return await done("created");
  } catch (error) {
    return actionError(error, values);
  }
}

export async function renameOrgUnitAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  try {
    await performAsActor((tx, actor) =>
      renameOrgUnit(tx, actor, { orgUnitId: str(form, "orgUnitId"), name: str(form, "name"), nameEn: str(form, "nameEn") }),
    );
    return await done("renamed");
  } catch (error) {
    return actionError(error, values);
  }
}

export async function moveOrgUnitAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  try {
    await performAsActor((tx, actor) => moveOrgUnit(tx, actor, { orgUnitId: str(form, "orgUnitId"), parentId: str(form, "parentId") }));
    return await done("moved");
  } catch (error) {
    return actionError(error, values);
  }
}

export async function setOrgUnitHeadAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  const clear = str(form, "intent") === "clear";
  try {
    await performAsActor((tx, actor) =>
      // An empty employee number is a mistake, not "remove the head": that is its own button.
      setOrgUnitHead(
        tx,
        actor,
        clear
          ? { orgUnitId: str(form, "orgUnitId"), personId: null }
          : { orgUnitId: str(form, "orgUnitId"), employeeNo: str(form, "employeeNo") },
      ),
    );
    return await done(clear ? "headCleared" : "headSet");
  } catch (error) {
    return actionError(error, values);
  }
}

export async function deactivateOrgUnitAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  try {
    await performAsActor((tx, actor) => deactivateOrgUnit(tx, actor, { orgUnitId: str(form, "orgUnitId") }));
    return await done("deactivated");
  } catch (error) {
    return actionError(error, values);
  }
}
