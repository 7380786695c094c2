import type { ReactNode } from "react";

/** An "Edit" link in a table row that opens the row's form in place. `width` is the form's Tailwind width class. */
export function InlineEdit({
  label,
  width,
  nowrap = false,
  children,
}: {
  label: string;
  width: string;
  nowrap?: boolean;
  children: ReactNode;
}) {
  return (
    <details>
      <summary className={nowrap ? "cursor-pointer text-xs whitespace-nowrap text-brand-700" : "cursor-pointer text-xs text-brand-700"}>
        {label}
      </summary>
      <div className={`mt-2 ${width}`}>{children}</div>
    </details>
  );
}
