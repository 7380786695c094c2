import { describe, expect, it } from "vitest";
import { csvStream, csvText, type CsvPage } from "@/lib/csv";

// Decoded keeping the BOM (Response.text() would drop it).
async function read(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(await new Response(stream).arrayBuffer());
}

/** A pager over fixed pages, numbered by cursor. */
function pages(list: CsvPage<number>["cells"][]): (cursor: number | null) => Promise<CsvPage<number>> {
  return async (cursor) => {
    const i = cursor ?? 0;
    return { cells: list[i] ?? [], next: i + 1 < list.length ? i + 1 : null };
  };
}

// The one CSV writer (lib/csv.ts) that every export and template uses.
describe("csv", () => {
  it("writes a small file with a BOM, CRLF line ends and quoted, formula-safe cells", () => {
    expect(
      csvText(
        ["工号", "名称"],
        [
          ["E1", '王,"建国"'],
          ["=1+1", null],
        ],
      ),
    ).toBe('\uFEFF工号,名称\r\nE1,"王,""建国"""\r\n\'=1+1,\r\n');
    expect(csvText(["a"])).toBe("\uFEFFa\r\n");
  });

  it("streams the header and every page in order", async () => {
    const text = await read(csvStream(["n", "at"], pages([[[1, new Date("2026-12-03T00:00:00Z")]], [[2n, "x"]], [[3, { a: 1 }]]])));
    expect(text).toBe('\uFEFFn,at\r\n1,2026-12-03T00:00:00.000Z\r\n2,x\r\n3,"{""a"":1}"\r\n');
  });

  it("ends an empty export after its header", async () => {
    expect(await read(csvStream(["n"], pages([[]])))).toBe("\uFEFFn\r\n");
  });

  it("does not hang on a page that has no rows but points further (rows filtered out after the read)", async () => {
    const text = await read(csvStream(["n"], pages([[[1]], [], [], [[4]], []])));
    expect(text).toBe("\uFEFFn\r\n1\r\n4\r\n");
  }, 2000);
});
