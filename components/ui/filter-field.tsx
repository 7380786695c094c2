import type { ReactNode } from "react";

export const filterControl = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";

/** A small labelled control in a list's filter bar; the control must carry id={id}. */
export function FilterField({ id, label, children }: { id: string; label: ReactNode; children: ReactNode }) {
  return (
    <div className="flex flex-col text-xs text-slate-600">
      <label htmlFor={id}>{label}</label>
      {children}
    </div>
  );
}
