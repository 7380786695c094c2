"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { saveMatrixAction } from "@/app/(portal)/systems/actions";
import { Button } from "@/components/ui/button";
import { FormError, FormNotice, TextField } from "@/components/ui/field";

type Role = { id: string; code: string; label: string; isAdministrative: boolean };
type Permission = { id: string; code: string; label: string; sensitive: boolean; sensitivityLabel: string };

/**
 * A page of roles × permissions (app/(portal)/systems/[id]/matrix). Editable for the system's
 * administrators; read-only for everyone else. `shown` carries the page's open cells, so saving changes
 * only the cells this page showed.
 */
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
  // Cells are named by their place on this page ("row:column"), the ids once in two hidden fields: a
  // cell's value is then a few bytes, not two UUIDs (500 cells a page, issue 13's weight budget).
  const shown = roles.flatMap((r, ri) => permissions.flatMap((p, pi) => (open.has(`${r.id}:${p.id}`) ? [`${ri}:${pi}`] : [])));
  return (
    <form action={action} className="space-y-3" noValidate aria-label={t("matrix")}>
      <input type="hidden" name="systemId" value={systemId} />
      <input type="hidden" name="roleIds" value={roles.map((r) => r.id).join(",")} />
      <input type="hidden" name="permissionIds" value={permissions.map((p) => p.id).join(",")} />
      <input type="hidden" name="shown" value={shown.join(",")} />
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
          {/* Cell padding on the body, not on each of up to 500 cells (issue 13: page weight). */}
          <tbody className="divide-y divide-slate-100 [&_td]:px-2 [&_td]:py-1.5 [&_td]:text-center">
            {roles.map((r, ri) => (
              <tr key={r.id}>
                <th scope="row" className="px-2 py-1.5 text-left font-medium whitespace-nowrap text-slate-800">
                  <span className="font-mono">{r.code}</span> <span className="font-normal text-slate-600">{r.label}</span>
                  {r.isAdministrative ? <span className="ml-1 rounded bg-amber-50 px-1 text-amber-800">{t("administrative")}</span> : null}
                </th>
                {permissions.map((p, pi) => {
                  const key = `${r.id}:${p.id}`;
                  return (
                    <td key={p.id}>
                      {editable ? (
                        <input
                          type="checkbox"
                          name="cell"
                          value={`${ri}:${pi}`}
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
