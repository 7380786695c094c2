import { z } from "zod";
import { decodeCursor, encodeCursor } from "./cursor";
import { text } from "@/lib/validation";

/**
 * The typeahead pickers' lookups (components/ui/combobox.tsx): at most LOOKUP_LIMIT matches a
 * keystroke, in keyset pages on (label, id), so a picker never carries an option list that grows
 * with the estate.
 */
export const LOOKUP_LIMIT = 20;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const LookupQuery = z
  .object({
    q: text().trim().max(100).optional(),
    cursor: text().max(1000).optional(),
    // Tree pickers: the children of this unit (absent: the top of what the actor may see).
    parent: text().regex(uuid).optional(),
  })
  .strict();
export type LookupQuery = z.infer<typeof LookupQuery>;

export type LookupItem = { id: string; label: string; hint?: string; hasChildren?: boolean };
export type LookupPage = { items: LookupItem[]; nextCursor: string | null };

type LabelCursor = { v: string; id: string };
const isLabelCursor = (v: unknown): v is LabelCursor =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as LabelCursor).v === "string" &&
  typeof (v as LabelCursor).id === "string" &&
  uuid.test((v as LabelCursor).id);

export const decodeLabelCursor = (cursor: string | undefined) => decodeCursor(cursor, isLabelCursor);

/** Rows fetched with take: LOOKUP_LIMIT + 1 → one page and the cursor after its last row. */
export function lookupPage<R extends { id: string }>(rows: R[], key: (row: R) => string, toItem: (row: R) => LookupItem): LookupPage {
  const page = rows.slice(0, LOOKUP_LIMIT);
  const last = page[page.length - 1];
  return {
    items: page.map(toItem),
    nextCursor: rows.length > LOOKUP_LIMIT && last ? encodeCursor({ v: key(last), id: last.id }) : null,
  };
}
