/**
 * The one CSV writer of the portal (every export and template): cells quoted as RFC 4180 wants,
 * formula injection neutralised, UTF-8 with a BOM (so spreadsheet software reads Chinese) and CRLF line
 * ends. Streams are pulled page by page, so memory stays flat however many rows an export has.
 */

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let s =
    typeof value === "string"
      ? value
      : typeof value === "bigint"
        ? value.toString()
        : value instanceof Date
          ? value.toISOString()
          : JSON.stringify(value);
  // Spreadsheet formula injection: a cell starting with = + - @ is neutralised.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const BOM = "\uFEFF";
const EOL = "\r\n";

function lines(rows: readonly (readonly unknown[])[]): string {
  return rows.map((cells) => `${cells.map(csvCell).join(",")}${EOL}`).join("");
}

/** A whole (small) CSV file as text: a template, a report of a few rows. */
export function csvText(head: readonly unknown[], rows: readonly (readonly unknown[])[] = []): string {
  return `${BOM}${lines([head, ...rows])}`;
}

/** One page of rows and where the next page starts (null: this was the last). */
export type CsvPage<C> = { cells: readonly (readonly unknown[])[]; next: C | null };

/**
 * Streams `head` and then the pages `pager` returns, starting from a null cursor. A page may hold no rows
 * and still point further (rows filtered out after the read): every pull enqueues something or closes the
 * stream, because a pull that does neither is never called again and the download would hang.
 */
export function csvStream<C>(head: readonly unknown[], pager: (cursor: C | null) => Promise<CsvPage<C>>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let started = false;
  let cursor: C | null = null;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`${BOM}${lines([head])}`));
        return;
      }
      for (;;) {
        const page = await pager(cursor);
        cursor = page.next;
        if (page.cells.length) controller.enqueue(encoder.encode(lines(page.cells)));
        if (cursor === null) {
          controller.close();
          return;
        }
        if (page.cells.length) return;
      }
    },
  });
}
