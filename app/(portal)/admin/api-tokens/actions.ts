"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { performAsActor } from "@/lib/http/perform";
import { actionError, formValues, type ActionState } from "@/lib/http/action-state";
import { createApiToken } from "@/lib/api-tokens/create-api-token";
import { revokeApiToken } from "@/lib/api-tokens/revoke-api-token";

export type CreateTokenState = ActionState & { secret?: string };

export async function createApiTokenAction(_prev: CreateTokenState, form: FormData): Promise<CreateTokenState> {
  const values = formValues(form);
  try {
    const created = await performAsActor((tx, actor) =>
      createApiToken(tx, actor, {
        name: String(form.get("name") ?? ""),
        systemIds: form.getAll("systemIds").map(String),
        operations: form.getAll("operations").map(String) as never,
        validDays: String(form.get("validDays") ?? ""),
      }),
    );
    revalidatePath("/admin/api-tokens");
    const t = await getTranslations("apiTokens");
    // The secret goes back to this one response and is never stored or shown again.
    return { ok: true, notice: t("created", { name: created.name }), secret: created.secret };
  } catch (error) {
    return {
      ...(await actionError(error, values)),
      values: { ...values, systemIds: form.getAll("systemIds").join(","), operations: form.getAll("operations").join(",") },
    };
  }
}

export async function revokeApiTokenAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  try {
    await performAsActor((tx, actor) =>
      revokeApiToken(tx, actor, { tokenId: String(form.get("tokenId") ?? ""), reason: String(form.get("reason") ?? "") }),
    );
    revalidatePath("/admin/api-tokens");
    const t = await getTranslations("apiTokens");
    return { ok: true, notice: t("revoked") };
  } catch (error) {
    return actionError(error, values);
  }
}
