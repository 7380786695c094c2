// The files operators' staff really produce: every encoding Chinese office software writes, and
// Excel cells whose "numbers" are really identifiers. Not one character may be garbled.
import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { cellText, numberText, parseDelimited, readTable, TableError, MAX_DATA_ROWS } from "@/lib/imports/read-table";

const CHINESE = "工号,姓名,部门编码,岗位\nE0001,王建国,OU-01,高级工程师\nE0002,欧阳娜娜,OU-02,运维（应用管理员）\n";
const EXPECTED = [
  ["工号", "姓名", "部门编码", "岗位"],
  ["E0001", "王建国", "OU-01", "高级工程师"],
  ["E0002", "欧阳娜娜", "OU-02", "运维（应用管理员）"],
];
// Characters outside GBK (GB18030 only) and outside the BMP: the rare-name case.
const RARE = "工号,姓名\nE0003,𠮷野家 䶮\n";

async function tableError(p: Promise<unknown>): Promise<TableError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TableError);
  return error as TableError;
}

describe("readTable: CSV encodings", () => {
  it("reads GB18030/GBK (what Chinese Excel saves as CSV) without garbling", async () => {
    const bytes = iconv.encode(CHINESE.replace(/\n/g, "\r\n"), "gb18030");
    expect(bytes.includes(Buffer.from("王建国", "utf8"))).toBe(false); // really not UTF-8
    const t = await readTable(bytes, "人员.csv");
    expect(t).toMatchObject({ format: "csv", encoding: "gb18030", fileName: "人员.csv" });
    expect(t.rows).toEqual(EXPECTED);
  });

  it("reads GBK bytes (the older code page) the same", async () => {
    const t = await readTable(iconv.encode(CHINESE, "gbk"), "staff.csv");
    expect(t.rows).toEqual(EXPECTED);
  });

  it("reads GB18030 four-byte characters", async () => {
    const t = await readTable(iconv.encode(RARE, "gb18030"), "rare.csv");
    expect(t.rows[1]).toEqual(["E0003", "𠮷野家 䶮"]);
  });

  it("reads UTF-8 with a BOM (strips it from the first header)", async () => {
    const t = await readTable(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CHINESE, "utf8")]), "a.csv");
    expect(t.encoding).toBe("utf-8");
    expect(t.rows).toEqual(EXPECTED);
    expect(t.rows[0]![0]).toBe("工号");
  });

  it("reads UTF-8 without a BOM", async () => {
    const t = await readTable(Buffer.from(CHINESE + RARE.split("\n")[1], "utf8"), "a.csv");
    expect(t.rows.slice(0, 3)).toEqual(EXPECTED);
    expect(t.rows[3]).toEqual(["E0003", "𠮷野家 䶮"]);
  });

  it('reads UTF-16LE with a BOM, tab-separated (Excel\'s "Unicode text")', async () => {
    const text = CHINESE.replace(/,/g, "\t").replace(/\n/g, "\r\n");
    const t = await readTable(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, "utf-16le")]), "staff.txt");
    expect(t.encoding).toBe("utf-16le");
    expect(t.rows).toEqual(EXPECTED);
  });

  it("reads UTF-16LE without a BOM", async () => {
    const t = await readTable(iconv.encode(CHINESE, "utf-16le"), "staff.csv");
    expect(t.rows).toEqual(EXPECTED);
  });
});

describe("parseDelimited", () => {
  it("handles quoted commas, doubled quotes and line breaks", () => {
    const rows = parseDelimited('a,b,c\r\n"王, 建国","说 ""你好""","第一行\n第二行"\r\nx,,\n');
    expect(rows).toEqual([
      ["a", "b", "c"],
      ["王, 建国", '说 "你好"', "第一行\n第二行"],
      ["x", "", ""],
    ]);
  });
  it("detects tabs", () => {
    expect(parseDelimited("工号\t姓名\nE1\t张三,李四\n")).toEqual([
      ["工号", "姓名"],
      ["E1", "张三,李四"],
    ]);
  });
  it("refuses an unclosed quote", async () => {
    const e = await tableError(readTable(Buffer.from('a,b\n"oops,1\n2,3\n'), "x.csv"));
    expect(e.code).toBe("UNCLOSED_QUOTE");
    expect(e.params.line).toBe(2);
  });
});

describe("readTable: limits and formats", () => {
  it("refuses an empty file, a BOM only, unknown and legacy formats", async () => {
    expect((await tableError(readTable(Buffer.alloc(0), "a.csv"))).code).toBe("EMPTY");
    expect((await tableError(readTable(Buffer.from([0xef, 0xbb, 0xbf, 0x0d, 0x0a]), "a.csv"))).code).toBe("EMPTY");
    expect((await tableError(readTable(Buffer.from("hello"), "a.pdf"))).code).toBe("UNKNOWN_FORMAT");
    expect((await tableError(readTable(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]), "a.xls"))).code).toBe(
      "LEGACY_XLS",
    );
    expect((await tableError(readTable(Buffer.from("PK\u0003\u0004garbage"), "a.xlsx"))).code).toBe("UNREADABLE");
  });
  it("refuses a file over 5 MB and more than 20,000 rows", async () => {
    expect((await tableError(readTable(Buffer.alloc(5 * 1024 * 1024 + 1, 0x41), "a.csv"))).code).toBe("TOO_LARGE");
    const many = `h\n${"x\n".repeat(MAX_DATA_ROWS + 1)}`;
    expect((await tableError(readTable(Buffer.from(many), "a.csv"))).code).toBe("TOO_MANY_ROWS");
    const exactly = `h\n${"x\n".repeat(MAX_DATA_ROWS)}`;
    expect((await readTable(Buffer.from(exactly), "a.csv")).rows).toHaveLength(MAX_DATA_ROWS + 1);
  });
});

describe("readTable: xlsx", () => {
  async function workbook(fill: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    fill(wb.addWorksheet("人员"));
    wb.addWorksheet("ignored").addRow(["not read"]);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  it("keeps phone and employee numbers exact, Chinese text, dates, rich text and formulas", async () => {
    const buf = await workbook((ws) => {
      ws.addRow(["工号", "姓名", "电话", "合同截止", "备注", "公式"]);
      ws.addRow([
        "00123",
        "王建国",
        13812345678,
        new Date(Date.UTC(2027, 5, 30)),
        { richText: [{ text: "富" }, { text: "文本" }] },
        { formula: "=1+1", result: 2 },
      ]);
      ws.addRow([123, "欧阳娜娜", "13912345678", "2027-01-05", null, { formula: "CMD()", result: "shown" }]);
      ws.getCell("A3").numFmt = "00000";
      ws.addRow([12345678901234567890, "𠮷", 0.1 + 0.2, new Date(Date.UTC(2027, 0, 5, 8, 30)), true]);
    });
    const t = await readTable(buf, "人员名单.xlsx");
    expect(t.format).toBe("xlsx");
    expect(t.rows[0]).toEqual(["工号", "姓名", "电话", "合同截止", "备注", "公式"]);
    expect(t.rows[1]).toEqual(["00123", "王建国", "13812345678", "2027-06-30", "富文本", "2"]);
    expect(t.rows[2]).toEqual(["00123", "欧阳娜娜", "13912345678", "2027-01-05", "", "shown"]);
    expect(t.rows[3]).toEqual(["12345678901234600000", "𠮷", "0.3", "2027-01-05 08:30:00", "TRUE"]);
    expect(t.rows.flat().join("")).not.toMatch(/e\+|E\+|\uFFFD/);
  });

  it("keeps empty rows in place so line numbers match the spreadsheet", async () => {
    const buf = await workbook((ws) => {
      ws.getCell("A1").value = "工号";
      ws.getCell("A4").value = "E4";
    });
    const t = await readTable(buf, "a.xlsx");
    expect(t.rows).toEqual([["工号"], [], [], ["E4"]]);
  });

  it("reads an xlsx by content even when the extension is upper case", async () => {
    const buf = await workbook((ws) => ws.addRow(["姓名"]));
    expect((await readTable(buf, "A.XLSX")).rows).toEqual([["姓名"]]);
  });
});

describe("cell conversion", () => {
  it("never writes exponents and pads zero formats", () => {
    expect(numberText(13812345678)).toBe("13812345678");
    expect(numberText(1e21)).toBe("1000000000000000000000");
    expect(numberText(1e-7)).toBe("0.0000001");
    expect(numberText(7, "000")).toBe("007");
    expect(numberText(-0)).toBe("0");
    expect(cellText({ text: "链接", hyperlink: "https://example.com" } as never)).toBe("链接");
  });
});
