"use server";

import { revalidatePath } from "next/cache";
import { addDays, dayIn } from "@/lib/time/calendar";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { performAsActor } from "@/lib/http/perform";
import { actionError, formValues, translateDomainError, type ActionState } from "@/lib/http/action-state";
import { requireActor } from "@/lib/auth/get-actor";
import { DomainError } from "@/lib/errors";
import { submitRequest } from "@/lib/requests/submit-request";
import { decideRequest } from "@/lib/requests/decide-request";
import { cancelRequest } from "@/lib/requests/cancel-request";
import { bulkDecide } from "@/lib/requests/bulk-decide";

const str = (form: FormData, key: string) => String(form.get(key) ?? "");

/**
 * The requested end from the form's duration choice: an elevation's hours from now; a preset number of
 * days (through that day); a chosen day; or permanent. An unreadable choice is a field error on endsAt.
 */
function requestedEnd(form: FormData, now: Date): string | null {
  if (str(form, "kind") === "ELEVATION") {
    const hours = Number(str(form, "hours"));
    if (!Number.isInteger(hours) || hours < 1) throw new DomainError("VALIDATION", { field: "endsAt" });
    return new Date(now.getTime() + hours * 3_600_000).toISOString();
  }
  const duration = str(form, "duration");
  if (duration === "permanent") return null;
  if (duration === "date") {
    const day = str(form, "endsOn");
    if (!day) throw new DomainError("VALIDATION", { field: "endsAt" });
    return day;
  }
  const days = Number(duration);
  if (!Number.isInteger(days) || days < 1) throw new DomainError("VALIDATION", { field: "endsAt" });
  return addDays(dayIn(now), days);
}

export async function submitRequestAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  let id: string;
  try {
    const now = new Date();
    const endsAt = requestedEnd(form, now);
    const result = await performAsActor((tx, actor) =>
      submitRequest(
        tx,
        actor,
        {
          subjectId: str(form, "subjectId"),
          roleId: str(form, "roleId"),
          justification: str(form, "justification"),
          endsAt,
          kind: str(form, "kind") === "ELEVATION" ? "ELEVATION" : "GRANT",
          renewsGrantId: str(form, "renewsGrantId") || undefined,
          idempotencyKey: str(form, "idempotencyKey") || undefined,
        },
        now,
      ),
    );
    id = result.id;
  } catch (error) {
    return actionError(error, values);
  }
  revalidatePath("/requests");
  redirect(`/requests/${id}?submitted=1`);
}

export async function decideRequestAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  const requestId = str(form, "requestId");
  let status: string;
  try {
    const outcome = str(form, "outcome") === "REJECT" ? "REJECT" : "APPROVE";
    const result = await performAsActor((tx, actor) =>
      decideRequest(tx, actor, { requestId, stageId: str(form, "stageId") || undefined, outcome, comment: str(form, "comment") }),
    );
    status = result.status;
  } catch (error) {
    return actionError(error, values);
  }
  revalidatePath("/approvals");
  // The decision form is gone once decided: the page says what happened.
  redirect(`/requests/${requestId}?decided=${status}`);
}

export async function cancelRequestAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  const requestId = str(form, "requestId");
  try {
    await performAsActor((tx, actor) => cancelRequest(tx, actor, { requestId, reason: str(form, "reason") }));
  } catch (error) {
    return actionError(error, values);
  }
  revalidatePath("/requests");
  redirect(`/requests/${requestId}?cancelled=1`);
}

export type BulkState = ActionState & { results?: { requestId: string; ok: boolean; message: string }[] };

/** Bulk approval: each selected item on its own; the result lists what happened to each. */
export async function bulkApproveAction(_prev: BulkState, form: FormData): Promise<BulkState> {
  const values = formValues(form);
  try {
    const actor = await requireActor();
    const results = await bulkDecide(actor, {
      requestIds: form.getAll("requestId").map(String),
      outcome: "APPROVE",
      comment: str(form, "comment"),
    });
    revalidatePath("/approvals");
    const t = await getTranslations("requests.inbox");
    const tErrors = await getTranslations("errors");
    const out = await Promise.all(
      results.map(async (r) => ({
        requestId: r.requestId,
        ok: r.ok,
        message: r.ok
          ? t(`bulkItem.${r.status}`)
          : r.code === "UNEXPECTED"
            ? tErrors("UNEXPECTED")
            : await translateDomainError(new DomainError(r.code, { params: r.params })),
      })),
    );
    const approved = results.filter((r) => r.ok).length;
    return { ok: approved > 0, notice: t("bulkDone", { approved, failed: results.length - approved }), results: out };
  } catch (error) {
    const t = await getTranslations("requests.inbox");
    const state = await actionError(error, values);
    return state.fieldErrors?.requestIds ? { ...state, formError: t("bulkNoneSelected") } : state;
  }
}
