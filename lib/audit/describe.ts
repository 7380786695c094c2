// A readable form of an audit event's summary for the trail's list (issue 9 §5): never raw JSON. Each
// top-level fact becomes "label: value"; before/after pairs become "field: old → new"; id lists become
// their count. Labels are message keys (audit.fields.<key>) the page translates, with the key itself,
// spelled out, where none exists.

export type SummaryFact = { key: string; value: string };

const MAX_FACTS = 6;
const MAX_VALUE = 60;

function show(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (Array.isArray(value)) return value.length <= 3 && value.every((v) => typeof v !== "object") ? value.join(", ") : `×${value.length}`;
  if (typeof value === "object") return `{${Object.keys(value as object).length}}`;
  const text = String(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/** The facts of a summary, at most six, in the order written; ids and hashes left to the detail page. */
export function describeSummary(summary: unknown): SummaryFact[] {
  if (!summary || typeof summary !== "object" || Array.isArray(summary)) return [];
  const s = summary as Record<string, unknown>;
  const facts: SummaryFact[] = [];
  const before = s.before && typeof s.before === "object" ? (s.before as Record<string, unknown>) : null;
  const after = s.after && typeof s.after === "object" ? (s.after as Record<string, unknown>) : null;
  if (before || after) {
    for (const field of new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])) {
      const from = before?.[field];
      const to = after?.[field];
      facts.push({ key: field, value: before && after ? `${show(from)} → ${show(to)}` : show(from ?? to) });
    }
  }
  for (const [key, value] of Object.entries(s)) {
    if (key === "before" || key === "after" || key === "items" || key === "digest") continue;
    // Lists of ids read as their count ("grantIds: ×42"); single ids are in the target column.
    if (/Ids?$/.test(key) && !Array.isArray(value)) continue;
    facts.push({ key, value: show(value) });
  }
  return facts.slice(0, MAX_FACTS);
}

/** "sessionsEnded" → "sessions ended": the label when no translation exists. */
export function spellKey(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
}

// The detail page (/audit/[id]): the summary's before → after field by field and its other facts in
// full, each value in words (no raw JSON): ids named, codes translated, lists joined, nested facts
// as "label: value".

type Word = (key: string) => string | undefined;

// A long text fact (a note, an error) reads in part; the whole is in the raw record.
const MAX_DETAIL = 200;
type Names = ReadonlyMap<string, string>;

export type ChangeRow = { field: string; before: string; after: string; changed: boolean };

function record(value: unknown): Record<string, unknown> | null {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** One value in words, for the detail page (bounded: a nested list or object reads as its first facts). */
export function showValue(value: unknown, names: Names, word: Word, label: (key: string) => string, depth = 0): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return word(`values.${value}`) ?? String(value);
  if (typeof value === "number") return String(value);
  if (typeof value === "string")
    return names.get(value) ?? word(`values.${value}`) ?? (value.length > MAX_DETAIL ? `${value.slice(0, MAX_DETAIL - 1)}…` : value);
  if (Array.isArray(value)) {
    if (value.length === 0) return "—";
    const shown = value.slice(0, 10).map((v) => showValue(v, names, word, label, depth + 1));
    return value.length > 10 ? `${shown.join(", ")} … (${value.length})` : shown.join(", ");
  }
  const o = value as Record<string, unknown>;
  if (depth >= 2) return `{${Object.keys(o).length}}`;
  return Object.entries(o)
    .map(([k, v]) => `${label(k)}: ${showValue(v, names, word, label, depth + 1)}`)
    .join("; ");
}

/** The summary's before → after: every field either side names; `changed` when the two sides differ. */
export function changeRows(summary: unknown, names: Names, word: Word, label: (key: string) => string): ChangeRow[] {
  const s = record(summary) ?? {};
  const before = record(s.before);
  const after = record(s.after);
  if (!before && !after) return [];
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return fields.map((field) => {
    const from = before?.[field];
    const to = after?.[field];
    return {
      field,
      before: before ? showValue(from, names, word, label) : "—",
      after: after ? showValue(to, names, word, label) : "—",
      changed: JSON.stringify(from ?? null) !== JSON.stringify(to ?? null),
    };
  });
}

/** The summary's other facts, all of them, in the order written (before/after and the items' digest aside). */
export function otherFacts(summary: unknown): { key: string; value: unknown }[] {
  const s = record(summary);
  if (!s) return [];
  return Object.entries(s)
    .filter(([key]) => key !== "before" && key !== "after" && key !== "items")
    .map(([key, value]) => ({ key, value }));
}
