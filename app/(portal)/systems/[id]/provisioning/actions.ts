"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { performAsActor } from "@/lib/http/perform";
import { actionError, formValues, type ActionState } from "@/lib/http/action-state";
import { configureConnector, removeConnector } from "@/lib/provisioning/configure-connector";
import { requeueDelivery, testConnection } from "@/lib/provisioning/requeue-delivery";
import { completeManualTask } from "@/lib/provisioning/manual-tasks";
import { reconcileSystem, remediateFinding } from "@/lib/provisioning/reconcile";
import { releaseHeldDeliveries } from "@/lib/provisioning/safety-valve";
import { requireActor } from "@/lib/auth/get-actor";

const str = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};

function revalidate(form: FormData) {
  const id = str(form, "systemId");
  if (/^[0-9a-f-]{36}$/i.test(id)) {
    revalidatePath(`/systems/${id}/provisioning`);
    revalidatePath(`/systems/${id}`);
  }
}

/** Save the system's connector (SCIM or manual). The secret is never echoed back into the form. */
export async function saveConnectorAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form, ["secret"]);
  try {
    const kind = str(form, "kind");
    await performAsActor((tx, actor) =>
      configureConnector(
        tx,
        actor,
        kind === "MANUAL"
          ? { systemId: str(form, "systemId"), kind: "MANUAL", reason: str(form, "reason") }
          : {
              systemId: str(form, "systemId"),
              kind: kind as "SCIM",
              baseUrl: str(form, "baseUrl"),
              auth: str(form, "auth") as "BEARER",
              secret: str(form, "secret"),
              roleMapping: str(form, "roleMapping") as "ROLES",
              maxAttempts: str(form, "maxAttempts") as unknown as number,
              safetyMaxPercent: str(form, "safetyMaxPercent") as unknown as number,
              reason: str(form, "reason"),
            },
      ),
    );
    revalidate(form);
    return { ok: true, notice: (await getTranslations("provisioning"))("saved") };
  } catch (error) {
    return actionError(error, values);
  }
}

export async function removeConnectorAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  try {
    await performAsActor((tx, actor) => removeConnector(tx, actor, { systemId: str(form, "systemId"), reason: str(form, "reason") }));
    revalidate(form);
    return { ok: true, notice: (await getTranslations("provisioning"))("removed") };
  } catch (error) {
    return actionError(error, values);
  }
}

export async function testConnectionAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    const check = await performAsActor((tx, actor) => testConnection(tx, actor, str(form, "systemId")));
    const t = await getTranslations("provisioning");
    return check.ok
      ? { ok: true, notice: t("testOk", { ms: check.durationMs }) }
      : { formError: t("testFailed", { status: check.status ?? "—", error: check.error ?? "" }) };
  } catch (error) {
    return actionError(error);
  }
}

export async function requeueDeliveryAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  try {
    await performAsActor((tx, actor) => requeueDelivery(tx, actor, { outboxId: str(form, "outboxId"), reason: str(form, "reason") }));
    revalidate(form);
    return { ok: true, notice: (await getTranslations("provisioning"))("requeued") };
  } catch (error) {
    return actionError(error, values);
  }
}

export async function completeTaskAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  try {
    await performAsActor((tx, actor) => completeManualTask(tx, actor, { taskId: str(form, "taskId"), note: str(form, "note") }));
    revalidate(form);
    return { ok: true, notice: (await getTranslations("provisioning"))("taskDone") };
  } catch (error) {
    return actionError(error, values);
  }
}

/** Reads the system's accounts now and records the differences (its own transaction after the read). */
export async function reconcileAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    const actor = await requireActor();
    const { counts } = await reconcileSystem(actor, str(form, "systemId"));
    revalidate(form);
    const t = await getTranslations("provisioning");
    return {
      ok: true,
      notice: t("reconciled", {
        matched: counts.matched,
        differences: counts.MISSING_IN_SYSTEM + counts.UNKNOWN_IN_SYSTEM + counts.OWNERLESS + counts.STATUS_DRIFT + counts.ROLE_DRIFT,
      }),
    };
  } catch (error) {
    return actionError(error);
  }
}

export async function remediateAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  try {
    const action = str(form, "action");
    const { queued } = await performAsActor((tx, actor) =>
      remediateFinding(tx, actor, { findingId: str(form, "findingId"), action: action as "push", reason: str(form, "reason") }),
    );
    revalidate(form);
    return { ok: true, notice: (await getTranslations("provisioning"))(action === "push" ? "pushed" : "accepted", { queued }) };
  } catch (error) {
    return actionError(error, values);
  }
}

/** Confirm the disables/deletes the safety valve held: they are delivered on the next round. */
export async function releaseHeldAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  try {
    await performAsActor((tx, actor) => releaseHeldDeliveries(tx, actor, { systemId: str(form, "systemId"), reason: str(form, "reason") }));
    revalidate(form);
    return { ok: true, notice: (await getTranslations("provisioning"))("released") };
  } catch (error) {
    return actionError(error, values);
  }
}
