import ExcelJS from "exceljs";
import iconv from "iconv-lite";

// Reads the spreadsheets operators' staff really produce: .xlsx from Excel/WPS, and "CSV" in whatever
// encoding the office software wrote (UTF-8 with or without BOM, UTF-16LE "Unicode text",
// GB18030/GBK from Chinese Excel), comma- or tab-separated. Every cell comes back as the text the
// user saw: no 1.38e+10, no lost leading zeros (when the cell's format kept them), dates as YYYY-MM-DD.

export const MAX_FILE_BYTES = 5 * 1024 * 1024;
/** Data rows, header not counted. */
export const MAX_DATA_ROWS = 20_000;
// A spreadsheet wider than this is not a staff list; cells beyond it are ignored.
const MAX_COLUMNS = 200;
// An .xlsx is a zip: refuse one that would inflate beyond this (a zip bomb fits in 5 MB).
const MAX_XLSX_INFLATED_BYTES = 200 * 1024 * 1024;

export type TableFormat = "csv" | "xlsx";
export type Table = {
  fileName: string;
  format: TableFormat;
  /** What the CSV was decoded from (utf-8, utf-16le, gb18030); absent for xlsx. */
  encoding?: string;
  /** Header first; trailing empty rows removed. rows[i] is the spreadsheet's row i + 1. */
  rows: string[][];
};

export type TableErrorCode = "EMPTY" | "TOO_LARGE" | "TOO_MANY_ROWS" | "UNKNOWN_FORMAT" | "LEGACY_XLS" | "UNREADABLE" | "UNCLOSED_QUOTE";

/** A file that cannot be read as a table; the code is translated (messages: imports.fileErrors.<code>). */
export class TableError extends Error {
  readonly code: TableErrorCode;
  readonly params: Record<string, string | number>;
  constructor(code: TableErrorCode, params: Record<string, string | number> = {}) {
    super(code);
    this.name = "TableError";
    this.code = code;
    this.params = params;
  }
}

const lower = (s: string) => s.toLowerCase();

function startsWith(buf: Uint8Array, bytes: number[]): boolean {
  return buf.length >= bytes.length && bytes.every((b, i) => buf[i] === b);
}

/** Parses an uploaded file (by its content first, its name second) into rows of strings. */
export async function readTable(data: Uint8Array, fileName: string): Promise<Table> {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.length === 0) throw new TableError("EMPTY");
  if (buf.length > MAX_FILE_BYTES) throw new TableError("TOO_LARGE", { max: MAX_FILE_BYTES / 1024 / 1024 });
  const ext = lower(fileName.split(".").pop() ?? "");
  const isZip = startsWith(buf, [0x50, 0x4b, 0x03, 0x04]);
  const isOle = startsWith(buf, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  if (isOle || ext === "xls" || ext === "et") throw new TableError("LEGACY_XLS");
  let rows: string[][];
  let format: TableFormat;
  let encoding: string | undefined;
  if (isZip) {
    if (ext !== "xlsx" && ext !== "xlsm") throw new TableError("UNKNOWN_FORMAT");
    format = "xlsx";
    rows = await readXlsx(buf);
  } else if (ext === "csv" || ext === "txt" || ext === "tsv") {
    format = "csv";
    const decoded = decodeText(buf);
    encoding = decoded.encoding;
    rows = parseDelimited(decoded.text);
  } else {
    throw new TableError("UNKNOWN_FORMAT");
  }
  while (rows.length && rows[rows.length - 1]!.every((c) => c.trim() === "")) rows.pop();
  if (rows.length === 0) throw new TableError("EMPTY");
  if (rows.length - 1 > MAX_DATA_ROWS) throw new TableError("TOO_MANY_ROWS", { max: MAX_DATA_ROWS });
  return { fileName, format, encoding, rows };
}

// ---------------------------------------------------------------------------------------------
// Text files

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** BOM first; else valid UTF-8; else UTF-16LE without BOM (NULs in odd places); else GB18030 (a superset of GBK). */
export function decodeText(buf: Buffer): { text: string; encoding: string } {
  if (startsWith(buf, [0xef, 0xbb, 0xbf])) return { text: buf.subarray(3).toString("utf8"), encoding: "utf-8" };
  if (startsWith(buf, [0xff, 0xfe])) return { text: iconv.decode(buf.subarray(2), "utf-16le"), encoding: "utf-16le" };
  if (startsWith(buf, [0xfe, 0xff])) return { text: iconv.decode(buf.subarray(2), "utf-16be"), encoding: "utf-16be" };
  try {
    return { text: UTF8.decode(buf), encoding: "utf-8" };
  } catch {
    // not UTF-8: fall through
  }
  if (looksUtf16le(buf)) return { text: iconv.decode(buf, "utf-16le"), encoding: "utf-16le" };
  return { text: iconv.decode(buf, "gb18030"), encoding: "gb18030" };
}

function looksUtf16le(buf: Buffer): boolean {
  const n = Math.min(buf.length, 512) & ~1;
  if (n < 4) return false;
  let oddZeros = 0;
  for (let i = 1; i < n; i += 2) if (buf[i] === 0) oddZeros++;
  return oddZeros / (n / 2) > 0.3;
}

/** Comma or tab, whichever the first line (outside quotes) has more of; Excel's "Unicode text" is tab-separated. */
export function detectDelimiter(text: string): "," | "\t" {
  let commas = 0;
  let tabs = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) break;
    else if (!quoted && ch === ",") commas++;
    else if (!quoted && ch === "\t") tabs++;
  }
  return tabs > commas ? "\t" : ",";
}

/**
 * RFC 4180, leniently: quoted fields may hold the delimiter, doubled quotes and line breaks; CRLF, LF
 * or CR end a record; a quote inside an unquoted field is kept as text. A quote never closed is an
 * error (it would swallow the rest of the file into one cell). Small enough not to need a dependency.
 */
export function parseDelimited(text: string, delimiter: "," | "\t" = detectDelimiter(text)): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  let line = 1;
  const n = text.length;
  const endField = () => {
    if (row.length < MAX_COLUMNS) row.push(field);
    field = "";
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
    // Header plus the allowed rows plus one: enough to say "too many" without reading a huge file.
    if (rows.length > MAX_DATA_ROWS + 1) throw new TableError("TOO_MANY_ROWS", { max: MAX_DATA_ROWS });
  };
  while (i < n) {
    const ch = text[i]!;
    if (ch === '"' && field === "") {
      const startLine = line;
      i++;
      for (;;) {
        if (i >= n) throw new TableError("UNCLOSED_QUOTE", { line: startLine });
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === "\n") line++;
        field += c;
        i++;
      }
      // Anything between the closing quote and the delimiter is kept (lenient, as spreadsheets do).
      while (i < n && text[i] !== delimiter && text[i] !== "\n" && text[i] !== "\r") field += text[i++];
      continue;
    }
    if (ch === delimiter) {
      endField();
      i++;
    } else if (ch === "\r" || ch === "\n") {
      endRow();
      line++;
      i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
    } else {
      field += ch;
      i++;
    }
  }
  if (field !== "" || row.length) endRow();
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Excel

/** Sum of the uncompressed sizes in the zip's central directory (no inflation needed). */
function zipInflatedSize(buf: Buffer): number {
  const min = Math.max(0, buf.length - 65_557);
  let eocd = -1;
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new TableError("UNREADABLE");
  const entries = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  let total = 0;
  for (let e = 0; e < entries; e++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw new TableError("UNREADABLE");
    const size = buf.readUInt32LE(p + 24);
    // 0xFFFFFFFF: a ZIP64 entry, 4 GB or more.
    total += size === 0xffffffff ? Number.MAX_SAFE_INTEGER : size;
    p += 46 + buf.readUInt16LE(p + 28) + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return total;
}

async function readXlsx(buf: Buffer): Promise<string[][]> {
  if (zipInflatedSize(buf) > MAX_XLSX_INFLATED_BYTES) throw new TableError("TOO_LARGE", { max: MAX_FILE_BYTES / 1024 / 1024 });
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buf as unknown as ExcelJS.Buffer);
  } catch {
    throw new TableError("UNREADABLE");
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new TableError("EMPTY");
  if (sheet.actualRowCount - 1 > MAX_DATA_ROWS) throw new TableError("TOO_MANY_ROWS", { max: MAX_DATA_ROWS });
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    while (rows.length < rowNumber - 1) rows.push([]);
    const cells: string[] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      if (col > MAX_COLUMNS) return;
      while (cells.length < col - 1) cells.push("");
      cells[col - 1] = cellText(cell.value, cell.numFmt);
    });
    rows.push(cells);
  });
  return rows;
}

// Up to 15 significant digits (what Excel itself keeps and shows), never in exponent notation.
const PLAIN_NUMBER = new Intl.NumberFormat("en-US", { useGrouping: false, maximumSignificantDigits: 15 });

/** A number as the plain digits a person typed; a zero-padding format ("00000") puts the leading zeros back. */
export function numberText(n: number, numFmt?: string): string {
  if (!Number.isFinite(n)) return "";
  let s = PLAIN_NUMBER.format(n);
  if (s === "-0") s = "0";
  const pad = numFmt && /^0+$/.test(numFmt) ? numFmt.length : 0;
  if (pad && /^\d+$/.test(s) && s.length < pad) s = s.padStart(pad, "0");
  return s;
}

const two = (n: number) => String(n).padStart(2, "0");

/** Excel dates are wall-clock times; exceljs hands them over as UTC. A date with no time is just the day. */
export function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) return "";
  const t = new Date(Math.round(d.getTime() / 1000) * 1000);
  const day = `${t.getUTCFullYear()}-${two(t.getUTCMonth() + 1)}-${two(t.getUTCDate())}`;
  const h = t.getUTCHours();
  const m = t.getUTCMinutes();
  const s = t.getUTCSeconds();
  return h || m || s ? `${day} ${two(h)}:${two(m)}:${two(s)}` : day;
}

export function cellText(value: ExcelJS.CellValue | undefined, numFmt?: string): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return numberText(value, numFmt);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) return dateText(value);
  if (typeof value === "object") {
    if ("richText" in value && Array.isArray(value.richText)) return value.richText.map((r) => r.text ?? "").join("");
    // A formula counts for what it showed (its cached result), never for the formula itself.
    if ("formula" in value || "sharedFormula" in value) return cellText((value as { result?: ExcelJS.CellValue }).result, numFmt);
    if ("hyperlink" in value) {
      const text = (value as { text?: unknown }).text;
      return typeof text === "string" ? text : cellText(text as ExcelJS.CellValue, numFmt);
    }
    if ("error" in value) return String(value.error);
  }
  return "";
}
