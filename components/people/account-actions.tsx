"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { accountAction } from "@/app/(portal)/people/[id]/actions";
import { Button } from "@/components/ui/button";
import { FormError, FormNotice, SelectField, TextField } from "@/components/ui/field";

export function AccountActions({
  personId,
  accountId,
  status,
  mfaEnrolled,
}: {
  personId: string;
  accountId: string;
  status: "ACTIVE" | "LOCKED" | "DISABLED";
  mfaEnrolled: boolean;
}) {
  const t = useTranslations("personDetail");
  const [state, action, pending] = useActionState(accountAction, {});
  const ops = [
    ...(status === "ACTIVE" ? ["lock", "disable"] : []),
    ...(status === "LOCKED" ? ["unlock", "disable"] : []),
    ...(status === "DISABLED" ? ["enable"] : []),
    "revoke-sessions",
    ...(mfaEnrolled ? ["reset-mfa"] : []),
  ];
  return (
    <form action={action} className="space-y-3" noValidate>
      <input type="hidden" name="personId" value={personId} />
      <input type="hidden" name="accountId" value={accountId} />
      <FormNotice message={state.notice} />
      <FormError message={state.formError} />
      <SelectField label={t("operation")} name="op" defaultValue={state.values?.op ?? ops[0]} error={state.fieldErrors?.op}>
        {ops.map((op) => (
          <option key={op} value={op}>
            {t(`ops.${op}`)}
          </option>
        ))}
      </SelectField>
      <TextField
        label={t("reason")}
        name="reason"
        required
        maxLength={500}
        defaultValue={state.ok ? "" : state.values?.reason}
        error={state.fieldErrors?.reason}
        hint={t("reasonHint")}
      />
      <Button type="submit" variant="danger" disabled={pending}>
        {t("apply")}
      </Button>
    </form>
  );
}
