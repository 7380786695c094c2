"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { saveApprovalChainAction } from "@/app/(portal)/systems/[id]/approvals/actions";
import { Button } from "@/components/ui/button";
import { FormError, FormNotice } from "@/components/ui/field";

export type ChainRow = { kind: string; rule: string; requiredCount?: number; named: string };
const KINDS = ["DEPARTMENT_HEAD", "SYSTEM_OWNER", "SECURITY", "OWNER_LEADER", "NAMED"] as const;
const RULES = ["ANY", "ALL", "N_OF_M"] as const;
const control = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";

function ChainRows({ chain, rows, max }: { chain: "standard" | "sensitive"; rows: ChainRow[]; max: number }) {
  const t = useTranslations("requests.chain");
  const tStages = useTranslations("requests.stages");
  const blank: ChainRow = { kind: "", rule: "ANY", named: "" };
  const padded: ChainRow[] = [...rows, ...Array.from({ length: Math.max(0, max - rows.length) }, () => blank)].slice(0, max);
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-semibold text-slate-800">{t(chain)}</legend>
      <p className="text-xs text-slate-500">{t(`${chain}Hint`)}</p>
      {padded.map((r, i) => (
        <div key={i} className="flex flex-wrap items-end gap-2" data-testid={`${chain}-stage-${i}`}>
          <span className="w-5 text-xs text-slate-500">{i + 1}.</span>
          <label className="text-xs text-slate-600">
            <span className="block">{t("kind")}</span>
            <select name={`${chain}.${i}.kind`} defaultValue={r.kind} className={control}>
              <option value="">{t("none")}</option>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {tStages(k)}
                </option>
              ))}
            </select>
          </label>
          <label className="text-xs text-slate-600">
            <span className="block">{t("rule")}</span>
            <select name={`${chain}.${i}.rule`} defaultValue={r.rule} className={control}>
              {RULES.map((k) => (
                <option key={k} value={k}>
                  {t(`rules.${k}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="text-xs text-slate-600">
            <span className="block">{t("n")}</span>
            <input
              name={`${chain}.${i}.n`}
              type="number"
              min={1}
              max={20}
              defaultValue={r.requiredCount ?? ""}
              className={`${control} w-16`}
            />
          </label>
          <label className="text-xs text-slate-600">
            <span className="block">{t("named")}</span>
            <input name={`${chain}.${i}.named`} defaultValue={r.named} placeholder={t("namedPlaceholder")} className={`${control} w-64`} />
          </label>
        </div>
      ))}
    </fieldset>
  );
}

export function ChainForm({
  systemId,
  standard,
  sensitive,
  max,
}: {
  systemId: string;
  standard: ChainRow[];
  sensitive: ChainRow[];
  max: number;
}) {
  const t = useTranslations("requests.chain");
  const [state, action, pending] = useActionState(saveApprovalChainAction, {});
  return (
    <form action={action} className="space-y-4" noValidate aria-label={t("formTitle")}>
      <input type="hidden" name="systemId" value={systemId} />
      <FormNotice message={state.notice} />
      <FormError message={state.formError} />
      <ChainRows chain="standard" rows={standard} max={max} />
      <ChainRows chain="sensitive" rows={sensitive} max={max} />
      <div className="space-y-1">
        <label htmlFor="chain-reason" className="block text-sm font-medium text-slate-700">
          {t("reason")}
        </label>
        <input
          id="chain-reason"
          name="reason"
          required
          maxLength={500}
          defaultValue={state.values?.reason}
          className="w-full max-w-lg rounded-md border border-slate-300 px-3 py-2 text-sm"
          aria-invalid={state.fieldErrors?.reason ? true : undefined}
        />
        {state.fieldErrors?.reason ? (
          <p role="alert" className="text-xs text-red-600">
            {state.fieldErrors.reason}
          </p>
        ) : null}
      </div>
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {t("save")}
        </Button>
        <Button type="submit" name="reset" value="1" variant="secondary" disabled={pending}>
          {t("reset")}
        </Button>
      </div>
    </form>
  );
}
