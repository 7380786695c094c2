"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { retryJobAction } from "@/app/(portal)/admin/jobs/actions";
import { Button } from "@/components/ui/button";

/** "Retry" on a failed job (or on a dead letter, which names its failed job). */
export function RetryJobForm({ queue, jobId, deadLetterId }: { queue: string; jobId: string; deadLetterId?: string }) {
  const t = useTranslations("jobs.retryForm");
  const [state, action, pending] = useActionState(retryJobAction, {});
  return (
    <form action={action} className="flex flex-wrap items-start gap-2" noValidate aria-label={t("label", { queue, id: jobId.slice(0, 8) })}>
      <input type="hidden" name="queue" value={queue} />
      <input type="hidden" name="jobId" value={jobId} />
      {deadLetterId ? (
        <>
          <input type="hidden" name="deadLetterId" value={deadLetterId} />
          <input type="hidden" name="view" value="dead" />
        </>
      ) : null}
      <Button type="submit" variant="secondary" disabled={pending} className="!px-2 !py-1 text-xs">
        {t("retry")}
      </Button>
      {state.formError ? (
        <p role="alert" className="w-full text-xs text-red-600">
          {state.formError}
        </p>
      ) : null}
    </form>
  );
}
