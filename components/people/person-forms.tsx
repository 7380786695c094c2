"use client";

import { useActionState, useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { createPersonAction } from "@/app/(portal)/people/actions";
import { changePersonStatusAction, updatePersonAction } from "@/app/(portal)/people/[id]/staff-actions";
import { Button } from "@/components/ui/button";
import { FormError, FormNotice, SelectField, TextField } from "@/components/ui/field";
import { PickerField, type ComboOption } from "@/components/ui/combobox";
import type { ActionState } from "@/lib/http/action-state";
import { JOB_CATEGORIES } from "@/lib/people/schemas";

type Option = ComboOption;

// A failed submission keeps what was typed; a successful one shows the saved values.
const typed = (state: ActionState, name: string, fallback = "") => (state.ok ? fallback : (state.values?.[name] ?? fallback));

type RoundState = ActionState & { round?: number };

/**
 * useActionState, plus a key that changes with every answer. React resets a form after its action
 * runs, and a reset puts a <select> back on the option it was first rendered with, not on the echoed
 * value: a form that came back with an error could be resubmitted with another choice than the one
 * shown before (another status!). Remounting the form on each answer renders the echoed values afresh.
 */
function useRoundActionState(action: (prev: ActionState, form: FormData) => Promise<ActionState>) {
  const [state, formAction, pending] = useActionState<RoundState, FormData>(
    async (prev, form) => ({ ...(await action(prev, form)), round: (prev.round ?? 0) + 1 }),
    {},
  );
  return [state, formAction, pending, state.round ?? 0] as const;
}

function JobCategoriesField({ selected, error }: { selected: string[]; error?: string }) {
  const t = useTranslations("staffAdmin");
  return (
    <fieldset className="space-y-1" aria-invalid={error ? true : undefined}>
      <legend className="text-sm font-medium text-slate-700">{t("jobCategories")}</legend>
      <div className="grid grid-cols-1 gap-x-4 gap-y-1 sm:grid-cols-2">
        {JOB_CATEGORIES.map((c) => (
          <label key={c} className="flex items-center gap-2 text-xs text-slate-700">
            <input type="checkbox" name="jobCategories" value={c} defaultChecked={selected.includes(c)} />
            {t(`jobCategoryNames.${c}`)}
          </label>
        ))}
      </div>
      {error ? (
        <p role="alert" className="text-xs text-red-600">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

function ThirdPartyFields({
  state,
  vendor,
  onVendor,
  current,
}: {
  state: ActionState;
  vendor: Option | null;
  onVendor: (o: Option | null) => void;
  current?: { sponsorEmployeeNo: string; contractEndsOn: string };
}) {
  const t = useTranslations("staffAdmin");
  return (
    <fieldset className="space-y-3 rounded-md border border-amber-200 bg-amber-50/40 p-3">
      <legend className="px-1 text-xs font-semibold text-amber-800">{t("thirdPartySection")}</legend>
      <PickerField
        label={t("vendor")}
        name="vendorId"
        source="/lookup/vendors"
        initial={vendor}
        onChange={onVendor}
        error={state.fieldErrors?.vendorId}
      />
      <TextField
        label={t("sponsorEmployeeNo")}
        name="sponsorEmployeeNo"
        maxLength={32}
        defaultValue={typed(state, "sponsorEmployeeNo", current?.sponsorEmployeeNo)}
        error={state.fieldErrors?.sponsorEmployeeNo ?? state.fieldErrors?.sponsorId}
        hint={t("sponsorHint")}
      />
      <TextField
        label={t("contractEndsOn")}
        name="contractEndsOn"
        type="date"
        defaultValue={typed(state, "contractEndsOn", current?.contractEndsOn)}
        error={state.fieldErrors?.contractEndsOn}
        hint={t("contractHint")}
      />
    </fieldset>
  );
}

/** HR's joiner form (people:manage). Third parties need a vendor, a sponsor and a contract end (R10). */
export function NewPersonForm() {
  const t = useTranslations("staffAdmin");
  const tp = useTranslations("people");
  const [state, action, pending, round] = useRoundActionState(createPersonAction);
  const [type, setType] = useState("EMPLOYEE");
  // The pickers' choices outlive the form's remount on each answer, so a refused form keeps them.
  const [org, setOrg] = useState<Option | null>(null);
  const [vendor, setVendor] = useState<Option | null>(null);
  return (
    <form key={round} action={action} className="space-y-3" noValidate aria-label={t("newPerson")}>
      <FormError message={state.formError} />
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField
          label={tp("employeeNo")}
          name="employeeNo"
          required
          maxLength={32}
          defaultValue={typed(state, "employeeNo")}
          error={state.fieldErrors?.employeeNo}
        />
        <TextField
          label={tp("name")}
          name="name"
          required
          maxLength={100}
          defaultValue={typed(state, "name")}
          error={state.fieldErrors?.name}
        />
        <PickerField
          label={tp("orgUnit")}
          name="orgUnitId"
          source="/lookup/org-units"
          tree
          initial={org}
          onChange={setOrg}
          error={state.fieldErrors?.orgUnitId}
        />
        <TextField
          label={tp("jobTitle")}
          name="jobTitle"
          required
          maxLength={100}
          defaultValue={typed(state, "jobTitle")}
          error={state.fieldErrors?.jobTitle}
        />
        <SelectField
          label={tp("employmentType")}
          name="employmentType"
          defaultValue={type}
          onChange={(e) => setType(e.target.value)}
          error={state.fieldErrors?.employmentType}
        >
          <option value="EMPLOYEE">{tp("types.EMPLOYEE")}</option>
          <option value="THIRD_PARTY">{tp("types.THIRD_PARTY")}</option>
        </SelectField>
      </div>
      {type === "THIRD_PARTY" ? <ThirdPartyFields state={state} vendor={vendor} onVendor={setVendor} /> : null}
      <JobCategoriesField selected={typed(state, "jobCategories").split(",")} error={state.fieldErrors?.jobCategories} />
      <div className="grid gap-3 sm:grid-cols-3">
        <TextField
          label={tp("phone")}
          name="phone"
          type="tel"
          maxLength={30}
          defaultValue={typed(state, "phone")}
          error={state.fieldErrors?.phone}
        />
        <TextField
          label={tp("email")}
          name="email"
          type="email"
          maxLength={200}
          defaultValue={typed(state, "email")}
          error={state.fieldErrors?.email}
        />
        <TextField
          label={tp("idNumber")}
          name="idNumber"
          maxLength={30}
          defaultValue={typed(state, "idNumber")}
          error={state.fieldErrors?.idNumber}
        />
      </div>
      <p className="text-xs text-slate-500">{t("newPersonHint")}</p>
      <Button type="submit" disabled={pending}>
        {t("create")}
      </Button>
    </form>
  );
}

export type EditablePerson = {
  id: string;
  name: string;
  orgUnitId: string;
  jobTitle: string;
  jobCategories: string[];
  employmentType: "EMPLOYEE" | "THIRD_PARTY";
  phoneMasked: string;
  emailMasked: string;
  idNumberMasked: string;
  orgUnit: Option;
  vendor: Option | null;
  sponsorEmployeeNo: string;
  contractEndsOn: string;
};

function WriteOnlyField({
  state,
  name,
  label,
  masked,
  clearName,
  type,
}: {
  state: ActionState;
  name: string;
  label: string;
  masked: string;
  clearName: string;
  type?: string;
}) {
  const t = useTranslations("staffAdmin");
  return (
    <div className="space-y-1">
      <TextField
        label={label}
        name={name}
        type={type}
        maxLength={200}
        autoComplete="off"
        defaultValue=""
        error={state.fieldErrors?.[name]}
        hint={masked ? t("keepHint", { value: masked }) : undefined}
      />
      {masked ? (
        <label className="flex items-center gap-2 text-xs text-slate-700">
          <input type="checkbox" name={clearName} />
          {t("clearField", { field: label })}
        </label>
      ) : null}
    </div>
  );
}

/**
 * Edits a staff record; personal data is write-only (R15) and the change needs a reason (audited).
 * A new org unit, job title or job categories is a job change (R5): when the person holds sensitive
 * grants (`sensitiveGrants`, a preview), the form warns how many will be revoked and asks HR to confirm.
 */
export function EditPersonForm({ person, sensitiveGrants = 0 }: { person: EditablePerson; sensitiveGrants?: number }) {
  const t = useTranslations("staffAdmin");
  const tp = useTranslations("people");
  const tm = useTranslations("lifecycle.mover");
  const [state, action, pending, round] = useRoundActionState(updatePersonAction);
  const [jobChanged, setJobChanged] = useState(false);
  const [org, setOrg] = useState<Option | null>(person.orgUnit);
  const [vendor, setVendor] = useState<Option | null>(person.vendor);
  const currentCategories = JOB_CATEGORIES.filter((c) => person.jobCategories.includes(c)).join(",");
  // The org picker is not a native control (no change event on the form): its choice is state.
  const moving = jobChanged || (org?.id ?? "") !== person.orgUnitId;
  const onChange = (e: FormEvent<HTMLFormElement>) => {
    const f = new FormData(e.currentTarget);
    setJobChanged(f.get("jobTitle") !== person.jobTitle || f.getAll("jobCategories").join(",") !== currentCategories);
  };
  const showMover = sensitiveGrants > 0 && (moving || !!state.fieldErrors?.confirmMover);
  return (
    <form key={round} action={action} onChange={onChange} className="space-y-3" noValidate aria-label={t("editTitle")}>
      <FormNotice message={state.notice} />
      <FormError message={state.formError} />
      <input type="hidden" name="personId" value={person.id} />
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField
          label={tp("name")}
          name="name"
          required
          maxLength={100}
          defaultValue={typed(state, "name", person.name)}
          error={state.fieldErrors?.name}
        />
        <TextField
          label={tp("jobTitle")}
          name="jobTitle"
          required
          maxLength={100}
          defaultValue={typed(state, "jobTitle", person.jobTitle)}
          error={state.fieldErrors?.jobTitle}
        />
      </div>
      <PickerField
        label={tp("orgUnit")}
        name="orgUnitId"
        source="/lookup/org-units"
        tree
        initial={org}
        onChange={setOrg}
        error={state.fieldErrors?.orgUnitId}
      />
      {person.employmentType === "THIRD_PARTY" ? (
        <ThirdPartyFields state={state} vendor={vendor} onVendor={setVendor} current={person} />
      ) : null}
      <JobCategoriesField
        selected={typed(state, "jobCategories", person.jobCategories.join(",")).split(",")}
        error={state.fieldErrors?.jobCategories}
      />
      <div className="grid gap-3 sm:grid-cols-3">
        <WriteOnlyField state={state} name="phone" type="tel" label={tp("phone")} masked={person.phoneMasked} clearName="clearPhone" />
        <WriteOnlyField state={state} name="email" type="email" label={tp("email")} masked={person.emailMasked} clearName="clearEmail" />
        <WriteOnlyField state={state} name="idNumber" label={tp("idNumber")} masked={person.idNumberMasked} clearName="clearIdNumber" />
      </div>
      {showMover ? (
        <div data-testid="mover-warning" className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          <p>{tm("warning", { count: sensitiveGrants })}</p>
          <label className="flex items-center gap-2 font-medium">
            <input type="checkbox" name="confirmMover" aria-invalid={state.fieldErrors?.confirmMover ? true : undefined} />
            {tm("confirm")}
          </label>
        </div>
      ) : null}
      <TextField
        label={t("reason")}
        name="reason"
        required
        maxLength={500}
        defaultValue={typed(state, "reason")}
        error={state.fieldErrors?.reason}
        hint={t("reasonHint")}
      />
      <Button type="submit" disabled={pending}>
        {t("save")}
      </Button>
    </form>
  );
}

const NEXT_STATUSES: Record<"ACTIVE" | "SUSPENDED" | "LEFT", ("ACTIVE" | "SUSPENDED" | "LEFT")[]> = {
  ACTIVE: ["SUSPENDED", "LEFT"],
  SUSPENDED: ["ACTIVE", "LEFT"],
  LEFT: [],
};

/** Suspend, reinstate or record a departure: leaving or suspension ends sessions and revokes all access at once (R5). */
export function PersonStatusForm({ personId, status }: { personId: string; status: "ACTIVE" | "SUSPENDED" | "LEFT" }) {
  const t = useTranslations("staffAdmin");
  const tp = useTranslations("people");
  const [state, action, pending, round] = useRoundActionState(changePersonStatusAction);
  const options = NEXT_STATUSES[status];
  if (options.length === 0) {
    return (
      <div className="space-y-3">
        <FormNotice message={state.notice} />
        <p className="text-sm text-slate-600">{t("leftNote")}</p>
      </div>
    );
  }
  return (
    <form key={round} action={action} className="space-y-3" noValidate aria-label={t("statusTitle")}>
      <FormNotice message={state.notice} />
      <FormError message={state.formError} />
      <input type="hidden" name="personId" value={personId} />
      <input type="hidden" name="expectedStatus" value={status} />
      <SelectField
        label={t("newStatus")}
        name="status"
        defaultValue={typed(state, "status", options[0])}
        error={state.fieldErrors?.status}
        hint={t("statusHint")}
      >
        {options.map((s) => (
          <option key={s} value={s}>
            {tp(`statuses.${s}`)}
          </option>
        ))}
      </SelectField>
      <TextField
        label={t("reason")}
        name="reason"
        required
        maxLength={500}
        defaultValue={typed(state, "reason")}
        error={state.fieldErrors?.reason}
        hint={t("reasonHint")}
      />
      <Button type="submit" variant="danger" disabled={pending}>
        {t("changeStatus")}
      </Button>
    </form>
  );
}
