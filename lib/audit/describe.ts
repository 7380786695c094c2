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
