import { createHash } from "node:crypto";

// The items of a bulk audit event (issue 14 §3): one per grant, account or person it touched.
export const AUDIT_ITEM_KINDS = [
  "grant",
  "slave-account",
  "person",
  "account",
  "request",
  "request-stage",
  "delegation",
  "offboarding-case",
  "review-item",
] as const;
export type AuditItemKind = (typeof AUDIT_ITEM_KINDS)[number];

type Json = string | number | boolean | null | Json[] | { [key: string]: Json | undefined };

export interface AuditItemInput {
  kind: AuditItemKind;
  subjectId: string;
  /** The person the grant or account belongs to (a person item: the person), so a filter by person finds it. */
  personId?: string | null;
  /** A few facts about this item (the role code, the login name, before → after); never secrets. */
  detail?: { [key: string]: Json | undefined } | null;
}

type StoredItem = { kind: string; subjectId: string; personId?: string | null; detail?: unknown };

// Canonical JSON: object keys sorted at every level, so the digest is the same for the items as given
// and as read back from jsonb (which reorders keys).
function canonical(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 over the items in position order; goes into the event's summary, so the chain covers the items. */
export function itemsDigest(items: readonly StoredItem[] | readonly AuditItemInput[]): string {
  const h = createHash("sha256");
  for (const item of items) h.update(`${canonical([item.kind, item.subjectId, item.personId ?? null, item.detail ?? null])}\n`, "utf8");
  return h.digest("hex");
}

/** How many items of each kind, for the event's bounded summary. */
export function itemCounts(items: readonly AuditItemInput[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const i of items) counts[i.kind] = (counts[i.kind] ?? 0) + 1;
  return counts;
}
