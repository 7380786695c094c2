"use client";

import { useActionState, type ReactNode } from "react";
import { useTranslations } from "next-intl";
import {
  createChildUnitAction,
  deactivateOrgUnitAction,
  moveOrgUnitAction,
  renameOrgUnitAction,
  setOrgUnitHeadAction,
} from "@/app/(portal)/org/actions";
import { Button } from "@/components/ui/button";
import { FormError, FormNotice, TextField } from "@/components/ui/field";
import { PickerField } from "@/components/ui/combobox";
import type { ActionState } from "@/lib/http/action-state";

type Option = { id: string; label: string };

// A failed submission keeps what was typed; a successful one shows the saved values.
const typed = (state: ActionState, name: string, fallback = "") => (state.ok ? fallback : (state.values?.[name] ?? fallback));

function Section({ title, hint, children }: { title: string; hint?: string; children: ReactNode }) {
  return (
    <section className="space-y-3 border-t border-slate-100 pt-4 first:border-t-0 first:pt-0">
      <h3 className="text-sm font-semibold text-slate-800">{title}</h3>
      {hint ? <p className="text-xs text-slate-600">{hint}</p> : null}
      {children}
    </section>
  );
}

export function CreateChildUnitForm({ parentId }: { parentId: string }) {
  const t = useTranslations("orgAdmin");
  const [state, action, pending] = useActionState(createChildUnitAction, {});
  return (
    <Section title={t("createTitle")}>
      <form action={action} className="space-y-3" noValidate aria-label={t("createTitle")}>
        <FormNotice message={state.notice} />
        <FormError message={state.formError} />
        <input type="hidden" name="parentId" value={parentId} />
        <TextField
          id="create-code"
          label={t("code")}
          name="code"
          required
          maxLength={40}
          defaultValue={typed(state, "code")}
          error={state.fieldErrors?.code}
        />
        <TextField
          id="create-name"
          label={t("name")}
          name="name"
          required
          maxLength={100}
          defaultValue={typed(state, "name")}
          error={state.fieldErrors?.name}
        />
        <TextField
          id="create-name-en"
          label={t("nameEn")}
          name="nameEn"
          maxLength={100}
          defaultValue={typed(state, "nameEn")}
          error={state.fieldErrors?.nameEn}
        />
        {state.fieldErrors?.parentId ? (
          <p role="alert" className="text-xs text-red-600">
            {state.fieldErrors.parentId}
          </p>
        ) : null}
        <Button type="submit" disabled={pending}>
          {t("create")}
        </Button>
      </form>
    </Section>
  );
}

export function RenameOrgUnitForm({ orgUnitId, name, nameEn }: { orgUnitId: string; name: string; nameEn: string | null }) {
  const t = useTranslations("orgAdmin");
  const [state, action, pending] = useActionState(renameOrgUnitAction, {});
  return (
    <Section title={t("renameTitle")}>
      <form action={action} className="space-y-3" noValidate aria-label={t("renameTitle")}>
        <FormNotice message={state.notice} />
        <FormError message={state.formError} />
        <input type="hidden" name="orgUnitId" value={orgUnitId} />
        <TextField
          id="rename-name"
          label={t("name")}
          name="name"
          required
          maxLength={100}
          defaultValue={typed(state, "name", name)}
          error={state.fieldErrors?.name}
        />
        <TextField
          id="rename-name-en"
          label={t("nameEn")}
          name="nameEn"
          maxLength={100}
          defaultValue={typed(state, "nameEn", nameEn ?? "")}
          error={state.fieldErrors?.nameEn}
        />
        <Button type="submit" disabled={pending}>
          {t("rename")}
        </Button>
      </form>
    </Section>
  );
}

/** `parent`: the current parent, where the typeahead starts (the estate's units are not sent; the move refuses a unit's own subtree). */
export function MoveOrgUnitForm({ orgUnitId, parent }: { orgUnitId: string; parent: Option | null }) {
  const t = useTranslations("orgAdmin");
  const [state, action, pending] = useActionState(moveOrgUnitAction, {});
  if (!parent) {
    return (
      <Section title={t("moveTitle")}>
        <p className="text-xs text-slate-600">{t("rootNote")}</p>
      </Section>
    );
  }
  return (
    <Section title={t("moveTitle")} hint={t("moveHint")}>
      <form action={action} className="space-y-3" noValidate aria-label={t("moveTitle")}>
        <FormNotice message={state.notice} />
        <FormError message={state.formError} />
        <input type="hidden" name="orgUnitId" value={orgUnitId} />
        <PickerField
          label={t("newParent")}
          name="parentId"
          source="/lookup/org-units"
          tree
          initial={parent}
          error={state.fieldErrors?.parentId}
        />
        <Button type="submit" disabled={pending}>
          {t("move")}
        </Button>
      </form>
    </Section>
  );
}

export function SetOrgUnitHeadForm({ orgUnitId, hasHead }: { orgUnitId: string; hasHead: boolean }) {
  const t = useTranslations("orgAdmin");
  const [state, action, pending] = useActionState(setOrgUnitHeadAction, {});
  return (
    <Section title={t("headTitle")} hint={t("headHint")}>
      <form action={action} className="space-y-3" noValidate aria-label={t("headTitle")}>
        <FormNotice message={state.notice} />
        <FormError message={state.formError} />
        <input type="hidden" name="orgUnitId" value={orgUnitId} />
        <TextField
          id="head-employee-no"
          label={t("headEmployeeNo")}
          name="employeeNo"
          maxLength={32}
          autoComplete="off"
          defaultValue={typed(state, "employeeNo")}
          error={state.fieldErrors?.employeeNo ?? state.fieldErrors?.personId}
        />
        <div className="flex flex-wrap gap-2">
          <Button type="submit" name="intent" value="set" disabled={pending}>
            {t("setHead")}
          </Button>
          {hasHead ? (
            <Button type="submit" name="intent" value="clear" variant="secondary" disabled={pending}>
              {t("clearHead")}
            </Button>
          ) : null}
        </div>
      </form>
    </Section>
  );
}

export function DeactivateOrgUnitForm({ orgUnitId }: { orgUnitId: string }) {
  const t = useTranslations("orgAdmin");
  const [state, action, pending] = useActionState(deactivateOrgUnitAction, {});
  return (
    <Section title={t("deactivateTitle")} hint={t("deactivateHint")}>
      <form action={action} className="space-y-3" noValidate aria-label={t("deactivateTitle")}>
        <FormNotice message={state.notice} />
        <FormError message={state.formError} />
        <input type="hidden" name="orgUnitId" value={orgUnitId} />
        <Button type="submit" variant="danger" disabled={pending}>
          {t("deactivate")}
        </Button>
      </form>
    </Section>
  );
}
