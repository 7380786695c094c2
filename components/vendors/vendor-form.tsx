"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { createVendorAction, updateVendorAction } from "@/app/(portal)/vendors/actions";
import { Button } from "@/components/ui/button";
import { FormError, FormNotice, TextField } from "@/components/ui/field";

export type VendorFormValues = {
  id: string;
  name: string;
  contractStartsOn: string;
  contractEndsOn: string;
  contactName: string | null;
  contactPhoneMasked: string;
  contactEmailMasked: string;
};

function Checkbox({ name, label }: { name: string; label: string }) {
  return (
    <label className="flex items-center gap-2 text-xs text-slate-700">
      <input type="checkbox" name={name} />
      {label}
    </label>
  );
}

/**
 * New vendor, or edit one. Editing shows the contact's phone and e-mail masked (R15): the fields
 * start empty, a value replaces the stored one, the checkbox removes it.
 */
export function VendorForm({ vendor }: { vendor?: VendorFormValues }) {
  const t = useTranslations("vendors");
  const [state, action, pending] = useActionState(vendor ? updateVendorAction : createVendorAction, {});
  const v = (name: string, fallback?: string | null) =>
    state.ok ? (fallback ?? undefined) : (state.values?.[name] ?? fallback ?? undefined);
  const label = vendor ? t("editVendor", { name: vendor.name }) : t("newVendor");
  return (
    <form action={action} className="space-y-3" noValidate aria-label={label}>
      <FormNotice message={state.notice} />
      <FormError message={state.formError} />
      {vendor ? <input type="hidden" name="vendorId" value={vendor.id} /> : null}
      <TextField
        label={t("name")}
        name="name"
        required
        maxLength={200}
        defaultValue={v("name", vendor?.name)}
        error={state.fieldErrors?.name}
      />
      <div className="grid grid-cols-2 gap-3">
        <TextField
          label={t("contractStartsOn")}
          name="contractStartsOn"
          type="date"
          required
          defaultValue={v("contractStartsOn", vendor?.contractStartsOn)}
          error={state.fieldErrors?.contractStartsOn}
        />
        <TextField
          label={t("contractEndsOn")}
          name="contractEndsOn"
          type="date"
          required
          defaultValue={v("contractEndsOn", vendor?.contractEndsOn)}
          error={state.fieldErrors?.contractEndsOn}
        />
      </div>
      <TextField
        label={t("contactName")}
        name="contactName"
        maxLength={100}
        defaultValue={v("contactName", vendor?.contactName)}
        error={state.fieldErrors?.contactName}
      />
      <TextField
        label={t("contactPhone")}
        name="contactPhone"
        type="tel"
        maxLength={30}
        autoComplete="off"
        defaultValue={vendor ? "" : v("contactPhone")}
        error={state.fieldErrors?.contactPhone}
        hint={vendor?.contactPhoneMasked ? t("keepHint", { value: vendor.contactPhoneMasked }) : undefined}
      />
      {vendor?.contactPhoneMasked ? <Checkbox name="clearContactPhone" label={t("clearContactPhone")} /> : null}
      <TextField
        label={t("contactEmail")}
        name="contactEmail"
        type="email"
        maxLength={200}
        autoComplete="off"
        defaultValue={vendor ? "" : v("contactEmail")}
        error={state.fieldErrors?.contactEmail}
        hint={vendor?.contactEmailMasked ? t("keepHint", { value: vendor.contactEmailMasked }) : undefined}
      />
      {vendor?.contactEmailMasked ? <Checkbox name="clearContactEmail" label={t("clearContactEmail")} /> : null}
      {vendor ? (
        <TextField
          label={t("reason")}
          name="reason"
          required
          maxLength={500}
          defaultValue={state.ok ? "" : v("reason")}
          error={state.fieldErrors?.reason}
          hint={t("reasonHint")}
        />
      ) : null}
      <Button type="submit" disabled={pending}>
        {vendor ? t("save") : t("create")}
      </Button>
    </form>
  );
}
