"use client";

import { startTransition, useActionState, useState, type ReactNode } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { PickerField } from "@/components/ui/combobox";
import { FormError, SelectField, TextField } from "@/components/ui/field";
import type { ActionState } from "@/lib/http/action-state";
import { MAX_NAMED_REVIEWERS, MAX_SCOPE_SYSTEMS, MAX_STAGES } from "@/lib/reviews/campaign-form";
import { REVIEWER_STRATEGIES } from "@/lib/reviews/schemas";
import { defineReviewAction } from "@/app/(portal)/reviews/new/actions";

function Section({ title, hint, children }: { title: string; hint?: string; children: ReactNode }) {
  return (
    <fieldset className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <legend className="px-1 text-sm font-semibold text-slate-800">{title}</legend>
      {hint ? <p className="text-xs text-slate-500">{hint}</p> : null}
      {children}
    </fieldset>
  );
}

function Check({ name, label, defaultChecked, error }: { name: string; label: string; defaultChecked?: boolean; error?: string }) {
  const id = `review-${name.replace(/\W/g, "-")}`;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="flex items-center gap-2 text-sm text-slate-700">
        <input id={id} type="checkbox" name={name} defaultChecked={defaultChecked} aria-invalid={error ? true : undefined} />
        {label}
      </label>
      {error ? (
        <p role="alert" className="text-xs text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/**
 * The review definition form (issue 12 §1): fields are named by their path in ReviewDefinitionInput
 * (lib/reviews/campaign-form.ts reads them), so each refusal comes back next to its field.
 */
export function DefinitionForm({ today }: { today: string }) {
  const t = useTranslations("reviewsCampaigns.form");
  const tList = useTranslations("reviewsCampaigns.list");
  const [state, formAction, pending] = useActionState<ActionState, FormData>(defineReviewAction, {});
  const e = state.fieldErrors ?? {};
  const v = state.values ?? {};
  const [systemSlots, setSystemSlots] = useState(1);
  const [stageCount, setStageCount] = useState(1);
  const [strategies, setStrategies] = useState<string[]>(["DEPARTMENT_HEAD", "SYSTEM_OWNER", "NAMED"]);
  const [reviewerSlots, setReviewerSlots] = useState<number[]>([1, 1, 1]);
  const onOff = (name: string, fallback = false) => (state.values ? v[name] === "on" : fallback);
  return (
    <form
      action={formAction}
      // Submitted by hand: React resets a form after its action, which put the stage selects back to
      // their first strategy (hiding the named reviewers) and emptied what the pickers held; a refusal
      // must come back with every choice as it was (issue 12). Without JavaScript the action still posts.
      onSubmit={(ev) => {
        ev.preventDefault();
        const data = new FormData(ev.currentTarget, (ev.nativeEvent as SubmitEvent).submitter);
        startTransition(() => formAction(data));
      }}
      className="max-w-3xl space-y-4"
      noValidate
      aria-label={t("title")}
    >
      <FormError message={state.formError} />
      <Section title={t("basics")}>
        <TextField label={t("name")} name="name" required maxLength={120} defaultValue={v.name} error={e.name} />
        <TextField label={t("descriptionField")} name="description" maxLength={1000} defaultValue={v.description} error={e.description} />
      </Section>
      <Section title={t("scope")} hint={t("scopeHint")}>
        <div className="grid gap-3 sm:grid-cols-2">
          {Array.from({ length: systemSlots }, (_, i) => (
            <PickerField
              key={i}
              label={t("system", { n: i + 1 })}
              name="scope.systemIds"
              source="/lookup/systems"
              error={i === 0 ? e["scope.systemIds"] : undefined}
              data-testid={`review-system-${i}`}
              onChange={(option) => {
                if (option && i === systemSlots - 1 && systemSlots < MAX_SCOPE_SYSTEMS) setSystemSlots(systemSlots + 1);
              }}
            />
          ))}
        </div>
        <Check
          name="scope.sensitiveOnly"
          label={t("sensitiveOnly")}
          defaultChecked={onOff("scope.sensitiveOnly")}
          error={e["scope.sensitiveOnly"]}
        />
        <SelectField
          label={t("employmentType")}
          name="scope.employmentType"
          defaultValue={v["scope.employmentType"] ?? "ANY"}
          error={e["scope.employmentType"]}
        >
          {(["ANY", "EMPLOYEE", "THIRD_PARTY"] as const).map((k) => (
            <option key={k} value={k}>
              {t(`employmentTypes.${k}`)}
            </option>
          ))}
        </SelectField>
        <PickerField label={t("orgUnit")} name="scope.orgUnitId" source="/lookup/org-units" tree error={e["scope.orgUnitId"]} />
        <Check
          name="scope.includeOrphans"
          label={t("includeOrphans")}
          defaultChecked={onOff("scope.includeOrphans")}
          error={e["scope.includeOrphans"] ?? e.scope}
        />
        <SelectField label={t("granularity")} name="granularity" defaultValue={v.granularity ?? "GRANT"} error={e.granularity}>
          {(["GRANT", "ACCOUNT"] as const).map((k) => (
            <option key={k} value={k}>
              {t(`granularities.${k}`)}
            </option>
          ))}
        </SelectField>
      </Section>
      <Section title={t("stages")}>
        <SelectField
          label={t("stageCount")}
          name="stageCount"
          value={String(stageCount)}
          onChange={(ev) => setStageCount(Number(ev.target.value))}
          error={e.stages}
        >
          {Array.from({ length: MAX_STAGES }, (_, i) => (
            <option key={i} value={i + 1}>
              {t("stageCountValue", { n: i + 1 })}
            </option>
          ))}
        </SelectField>
        {Array.from({ length: stageCount }, (_, i) => (
          <div key={i} className="space-y-2 rounded-md border border-slate-100 p-3" data-testid={`review-stage-${i}`}>
            <p className="text-sm font-medium text-slate-700">{t("stage", { n: i + 1 })}</p>
            <SelectField
              label={t("strategy")}
              name={`stages.${i}.strategy`}
              value={strategies[i]}
              onChange={(ev) => setStrategies(strategies.map((s, j) => (j === i ? ev.target.value : s)))}
              error={e[`stages.${i}.strategy`]}
            >
              {REVIEWER_STRATEGIES.map((k) => (
                <option key={k} value={k}>
                  {t(`strategies.${k}`)}
                </option>
              ))}
            </SelectField>
            {strategies[i] === "NAMED" ? (
              <div className="grid gap-3 sm:grid-cols-2">
                {Array.from({ length: reviewerSlots[i]! }, (_, j) => (
                  <PickerField
                    key={j}
                    label={t("reviewer", { n: j + 1 })}
                    name={`stages.${i}.reviewerIds`}
                    source="/reviews/new/reviewers"
                    hint={j === 0 ? t("reviewerHint") : undefined}
                    error={j === 0 ? e[`stages.${i}.reviewerIds`] : undefined}
                    data-testid={`review-stage-${i}-reviewer-${j}`}
                    onChange={(option) => {
                      if (option && j === reviewerSlots[i]! - 1 && j + 1 < MAX_NAMED_REVIEWERS)
                        setReviewerSlots(reviewerSlots.map((n, k) => (k === i ? n + 1 : n)));
                    }}
                  />
                ))}
              </div>
            ) : null}
          </div>
        ))}
      </Section>
      <Section title={t("scheduleSection")}>
        <div className="grid gap-3 sm:grid-cols-3">
          <SelectField label={t("schedule")} name="schedule" defaultValue={v.schedule ?? "ONCE"} error={e.schedule}>
            {(["ONCE", "QUARTERLY", "HALF_YEARLY"] as const).map((k) => (
              <option key={k} value={k}>
                {tList(`schedules.${k}`)}
              </option>
            ))}
          </SelectField>
          <TextField
            label={t("durationDays")}
            name="durationDays"
            type="number"
            min={1}
            max={90}
            required
            defaultValue={v.durationDays ?? "14"}
            error={e.durationDays}
          />
          <TextField
            label={t("startOn")}
            name="startOn"
            type="date"
            min={today}
            defaultValue={v.startOn ?? ""}
            hint={t("startOnHint")}
            error={e.startOn}
          />
        </div>
      </Section>
      <Section title={t("defaults")}>
        <div className="grid gap-3 sm:grid-cols-2">
          <SelectField
            label={t("defaultDecision")}
            name="defaultDecision"
            defaultValue={v.defaultDecision ?? "KEEP"}
            error={e.defaultDecision}
          >
            <option value="KEEP">{t("decisions.KEEP")}</option>
            <option value="END">{t("decisions.END")}</option>
          </SelectField>
          <SelectField label={t("riskyDefault")} name="riskyDefault" defaultValue={v.riskyDefault ?? "END"} error={e.riskyDefault}>
            <option value="END">{t("decisions.END")}</option>
            <option value="KEEP">{t("decisions.KEEP")}</option>
          </SelectField>
        </div>
        <Check
          name="applyImmediately"
          label={t("applyImmediately")}
          defaultChecked={onOff("applyImmediately")}
          error={e.applyImmediately}
        />
      </Section>
      <Section title={t("recommendations")}>
        <div className="grid gap-3 sm:grid-cols-2">
          <TextField
            label={t("inactiveDays")}
            name="inactiveDays"
            type="number"
            min={7}
            max={730}
            defaultValue={v.inactiveDays ?? "90"}
            error={e.inactiveDays}
          />
          <TextField
            label={t("contractEndDays")}
            name="contractEndDays"
            type="number"
            min={1}
            max={365}
            defaultValue={v.contractEndDays ?? "30"}
            error={e.contractEndDays}
          />
          <TextField
            label={t("remindDaysBefore")}
            name="remindDaysBefore"
            type="number"
            min={0}
            max={30}
            defaultValue={v.remindDaysBefore ?? "3"}
            error={e.remindDaysBefore}
          />
          <TextField
            label={t("escalateAfterDays")}
            name="escalateAfterDays"
            type="number"
            min={1}
            max={60}
            defaultValue={v.escalateAfterDays ?? ""}
            hint={t("escalateHint")}
            error={e.escalateAfterDays}
          />
        </div>
      </Section>
      <Button type="submit" disabled={pending}>
        {t("submit")}
      </Button>
    </form>
  );
}
