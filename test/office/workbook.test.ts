import { describe, expect, it } from "vitest";
import { readCsv, readXlsx } from "../../src/office/workbook-read.js";
import { updateXlsx, writeXlsx } from "../../src/office/workbook-write.js";
import { numberFromText, sheetRecords } from "../../src/office/workbook.js";

describe("spreadsheets", () => {
  it("an xlsx round trip keeps formulas, dates, merged cells, formats, widths and the chart", async () => {
    const data = await writeXlsx([
      {
        name: "Sales",
        rows: [
          ["Quarterly sales"],
          ["Region", "Date", "Amount"],
          ["North", { date: "2024-03-31" }, 1200.5],
          ["South", { date: "2024-06-30" }, 800],
          ["Total", null, "=SUM(C3:C4)"],
        ],
        merges: ["A1:C1"],
        numberFormats: [{ range: "C3:C5", format: "#,##0.00" }],
        columnWidths: [14, 12, 10],
        boldRows: [2],
        charts: [{ type: "column", title: "Sales by region", categories: "A3:A4", series: [{ name: "Amount", values: "C3:C4" }] }],
      },
    ]);
    const book = await readXlsx(data);
    const sheet = book.sheets[0]!;
    expect(sheet.name).toBe("Sales");
    expect(sheet.merges).toEqual(["A1:C1"]);
    expect(sheet.rows[0]![1]).toMatchObject({ type: "empty", mergedInto: "A1" });
    expect(sheet.headerRow).toBe(2);
    expect(sheet.rows[2]![1]).toMatchObject({ type: "date", value: "2024-03-31" });
    expect(sheet.rows[4]![2]).toMatchObject({ type: "formula", formula: "SUM(C3:C4)", numFmt: "#,##0.00" });
    expect(sheet.columnWidths).toEqual([14, 12, 10]);
    expect(sheet.charts).toEqual([{ type: "column", title: "Sales by region", series: [{ name: "Amount", categories: "'Sales'!$A$3:$A$4", values: "'Sales'!$C$3:$C$4" }] }]);
    expect(sheetRecords(sheet)[0]).toEqual({ Region: "North", Date: "2024-03-31", Amount: 1200.5 });

    const updated = await readXlsx(await updateXlsx(await writeXlsx([{ name: "S", rows: [["a", 1], ["b", 2], ["t", "=A1"]] }]), [{ cell: "B3", value: "=SUM(B1:B2)" }]));
    expect(updated.sheets[0]!.rows[2]![1]).toMatchObject({ type: "formula", formula: "SUM(B1:B2)" });
  });

  it("a messy CSV export: the header below a title, numbers and dates stored as text", () => {
    const book = readCsv('Export of orders,,\n,,\nOrder,Placed,Total\nA-1,03/01/2024,"$1,200.50"\nA-2,2024-01-04,75\n');
    const sheet = book.sheets[0]!;
    expect(sheet.headerRow).toBe(3);
    expect(sheet.rows[3]![1]).toMatchObject({ type: "text", looksLike: "date" });
    expect(sheet.rows[3]![2]).toMatchObject({ type: "text", looksLike: "number", value: "$1,200.50" });
    expect(sheet.rows[4]![2]).toMatchObject({ type: "number", value: 75 });
    expect(numberFromText("$1,200.50")).toBe(1200.5);
    expect(numberFromText("(12)")).toBe(-12);
    expect(numberFromText("7%")).toBeCloseTo(0.07);
  });
});
