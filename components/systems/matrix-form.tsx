"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { saveMatrixAction } from "@/app/(portal)/systems/actions";
import { Button } from "@/components/ui/button";
import { FormError, FormNotice, TextField } from "@/components/ui/field";

type Role = { id: string; code: string; label: string; isAdministrative: boolean };
type Permission = { id: string; code: string; label: string; sensitive: boolean; sensitivityLabel: string };

/** Roles × permissions. Editable for the system's administrators; read-only for everyone else. */
export function MatrixForm({
  systemId,
  roles,
  permissions,
  cells,
  editable,
}: {
  systemId: string;
  roles: Role[];
  permissions: Permission[];
  cells: string[];
  editable: boolean;
}) {
  const t = useTranslations("systems");
  const [state, action, pending] = useActionState(saveMatrixAction, {});
  const open = new Set(cells);
  return (
    <form action={action} className="space-y-3" noValidate aria-label={t("matrix")}>
      <input type="hidden" name="systemId" value={systemId} />
      <input type="hidden" name="shown" value={cells.join(",")} />
      <FormNotice message={state.notice} />
      <FormError message={state.formError} />
      <div className="overflow-x-auto rounded-lg border border-slate-200">
        <table className="min-w-full text-xs" data-testid="matrix">
          <thead>
            <tr className="bg-slate-50">
              <th scope="col" className="px-2 py-2 text-left font-semibold text-slate-600">
                {t("roleColumn")}
              </th>
              {permissions.map((p) => (
                <th key={p.id} scope="col" className="px-2 py-2 text-center font-semibold whitespace-nowrap text-slate-600" title={p.label}>
                  <div className="font-mono">{p.code}</div>
                  <div className={p.sensitive ? "text-red-700" : "text-slate-500"}>{p.sensitivityLabel}</div>
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {roles.map((r) => (
              <tr key={r.id}>
                <th scope="row" className="px-2 py-1.5 text-left font-medium whitespace-nowrap text-slate-800">
                  <span className="font-mono">{r.code}</span> <span className="font-normal text-slate-600">{r.label}</span>
                  {r.isAdministrative ? <span className="ml-1 rounded bg-amber-50 px-1 text-amber-800">{t("administrative")}</span> : null}
                </th>
                {permissions.map((p) => {
                  const key = `${r.id}:${p.id}`;
                  return (
                    <td key={p.id} className="px-2 py-1.5 text-center">
                      {editable ? (
                        <input
                          type="checkbox"
                          name="cell"
                          value={key}
                          defaultChecked={open.has(key)}
                          aria-label={`${r.code} × ${p.code}`}
                          key={`${key}:${open.has(key)}`}
                        />
                      ) : open.has(key) ? (
                        <span aria-label={`${r.code} × ${p.code}`}>✓</span>
                      ) : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editable ? (
        <div className="flex flex-wrap items-end gap-3">
          <div className="w-96">
            <TextField
              label={t("matrixReason")}
              name="reason"
              required
              maxLength={500}
              defaultValue={state.ok ? "" : state.values?.reason}
              error={state.fieldErrors?.reason}
            />
          </div>
          <Button type="submit" disabled={pending}>
            {t("saveMatrix")}
          </Button>
        </div>
      ) : null}
    </form>
  );
}
