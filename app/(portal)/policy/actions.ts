"use server";

import { revalidatePath } from "next/cache";
import { getLocale, getTranslations } from "next-intl/server";
import { performAsActor } from "@/lib/http/perform";
import { actionError, formValues, type ActionState } from "@/lib/http/action-state";
import { createSodRule, deactivateSodRule } from "@/lib/policy/sod-rules";
import { recheckPolicies } from "@/lib/policy/recheck-policies";
import { requireActor } from "@/lib/auth/get-actor";
import { revokeGrant } from "@/lib/grants/revoke-grant";
import { can } from "@/lib/authz/can";
import { listPairOptions, PairOptionsInput } from "@/lib/policy/queries";

/** One system's roles or permissions for a side of the pair form (read only, for those who add pairs). */
export async function pairOptionsAction(kind: string, systemId: string): Promise<{ id: string; label: string }[]> {
  const actor = await requireActor();
  if (!can(actor, "policy:manage")) return [];
  const input = PairOptionsInput.safeParse({ kind, systemId });
  return input.success ? listPairOptions(input.data, (await getLocale()) === "en") : [];
}

export async function createSodRuleAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  try {
    const kind = String(form.get("kind") ?? "");
    const prefix = kind === "PERMISSION_PAIR" ? "permission" : "role";
    await performAsActor((tx, actor) =>
      createSodRule(tx, actor, {
        kind: kind as "ROLE_PAIR",
        leftId: String(form.get(`${prefix}Left`) ?? ""),
        rightId: String(form.get(`${prefix}Right`) ?? ""),
        description: String(form.get("description") ?? ""),
      }),
    );
    revalidatePath("/policy");
    const t = await getTranslations("policyAdmin");
    return { ok: true, notice: t("ruleCreated") };
  } catch (error) {
    return actionError(error, values);
  }
}

export async function deactivateSodRuleAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  try {
    await performAsActor((tx, actor) =>
      deactivateSodRule(tx, actor, { ruleId: String(form.get("ruleId") ?? ""), reason: String(form.get("reason") ?? "") }),
    );
    revalidatePath("/policy");
    return { ok: true };
  } catch (error) {
    return actionError(error, values);
  }
}

export async function recheckAction(): Promise<ActionState> {
  try {
    const actor = await requireActor();
    const result = await recheckPolicies(actor);
    revalidatePath("/policy");
    const t = await getTranslations("policyAdmin");
    return { ok: true, notice: t("rechecked", result) };
  } catch (error) {
    return actionError(error);
  }
}

export async function remediateAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  try {
    await performAsActor((tx, actor) =>
      revokeGrant(tx, actor, { grantId: String(form.get("grantId") ?? ""), reason: String(form.get("reason") ?? "") }),
    );
    revalidatePath("/policy");
    const t = await getTranslations("policyAdmin");
    return { ok: true, notice: t("remediated") };
  } catch (error) {
    return actionError(error, values);
  }
}
