/** The fields that differ, as a before/after pair for the audit summary. */
export function changedFields<T extends Record<string, unknown>>(before: T, after: Partial<T>): { before: Partial<T>; after: Partial<T> } {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    const next = after[key] ?? null;
    const prev = before[key] ?? null;
    if (JSON.stringify(prev) !== JSON.stringify(next)) {
      b[key] = prev as T[keyof T];
      a[key] = next as T[keyof T];
    }
  }
  return { before: b, after: a };
}
