"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Combobox } from "@/components/ui/combobox";
import { FormError, FormNotice, SelectField, TextField } from "@/components/ui/field";
import type { ActionState } from "@/lib/http/action-state";
import { cancelOffboardingAction, offboardVendorAction } from "@/app/(portal)/offboarding/actions";

export function OffboardVendorForm({ initial }: { initial?: { id: string; label: string } | null }) {
  const t = useTranslations("offboarding.vendor");
  const [state, formAction, pending] = useActionState<ActionState, FormData>(offboardVendorAction, {});
  const e = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="space-y-3" noValidate aria-label={t("submit")}>
      <FormNotice message={state.notice} />
      <FormError message={state.formError} />
      <div className="space-y-1">
        <label htmlFor="offboard-vendor" className="block text-sm font-medium text-slate-700">
          {t("vendor")}
        </label>
        <Combobox
          id="offboard-vendor"
          name="vendorId"
          source="/lookup/vendors"
          initial={initial ?? null}
          invalid={!!e.vendorId}
          describedBy={e.vendorId ? "offboard-vendor-error" : undefined}
        />
        {e.vendorId ? (
          <p id="offboard-vendor-error" role="alert" className="text-xs text-red-600">
            {e.vendorId}
          </p>
        ) : null}
      </div>
      <SelectField label={t("mode")} name="mode" defaultValue={state.values?.mode ?? "CONTRACT_ENDED"} error={e.mode}>
        <option value="CONTRACT_ENDED">{t("modes.CONTRACT_ENDED")}</option>
        <option value="TERMINATED">{t("modes.TERMINATED")}</option>
      </SelectField>
      <TextField label={t("reason")} name="reason" required maxLength={500} defaultValue={state.values?.reason} error={e.reason} />
      <Button type="submit" variant="danger" disabled={pending}>
        {t("submit")}
      </Button>
    </form>
  );
}

export function CancelOffboardingForm({ caseId }: { caseId: string }) {
  const t = useTranslations("offboarding.receipt");
  const [state, formAction, pending] = useActionState<ActionState, FormData>(cancelOffboardingAction, {});
  const e = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="space-y-3" noValidate aria-label={t("cancel")}>
      <FormNotice message={state.notice} />
      <FormError message={state.formError} />
      <input type="hidden" name="caseId" value={caseId} />
      <TextField label={t("cancelReason")} name="reason" required maxLength={500} defaultValue={state.values?.reason} error={e.reason} />
      <Button type="submit" variant="secondary" disabled={pending}>
        {t("cancel")}
      </Button>
    </form>
  );
}
