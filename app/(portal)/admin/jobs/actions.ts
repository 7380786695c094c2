"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { performAsActor } from "@/lib/http/perform";
import { actionError, formValues, type ActionState } from "@/lib/http/action-state";
import { retryJob } from "@/lib/jobs/retry-job";

// After a retry the job leaves the failures (and its dead letter the dead letters), so the notice cannot
// sit in its row: the page is shown again, in the same view, with `retried` naming the job.
export async function retryJobAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  let retried: { queue: string; jobId: string };
  try {
    const deadLetterId = String(form.get("deadLetterId") ?? "");
    retried = await performAsActor((tx, actor) =>
      retryJob(tx, actor, {
        queue: String(form.get("queue") ?? ""),
        jobId: String(form.get("jobId") ?? ""),
        deadLetterId: deadLetterId || undefined,
      }),
    );
  } catch (error) {
    return actionError(error, values);
  }
  revalidatePath("/admin/jobs");
  const params = new URLSearchParams({ retried: retried.jobId });
  if (form.get("view") === "dead") params.set("view", "dead");
  redirect(`/admin/jobs?${params.toString()}`);
}
