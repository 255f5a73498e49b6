import type ExcelJS from "exceljs";
import { loadVendor } from "../vendor/load.js";
import { parseCsv } from "./csv.js";
import { type Cell, type CellValue, cellRef, findHeaderRow, type Sheet, textLooksLike, type Workbook } from "./workbook.js";
import { readXlsxCharts } from "./xlsx-chart.js";

/** Reads an xlsx workbook: values with their types, formulas, number formats, merges, widths and charts. */
export async function readXlsx(data: Buffer): Promise<Workbook> {
  const { default: Excel } = await loadVendor.exceljs();
  const book = new Excel.Workbook();
  // exceljs's types predate Node's generic Buffer.
  await book.xlsx.load(data as unknown as ArrayBuffer);
  const charts = await readXlsxCharts(data);
  const sheets: Sheet[] = [];
  book.eachSheet((ws) => {
    const rowCount = ws.actualRowCount === 0 ? 0 : ws.rowCount;
    const columnCount = ws.columnCount;
    const rows: Cell[][] = [];
    for (let r = 1; r <= rowCount; r++) {
      const row = ws.getRow(r);
      const cells: Cell[] = [];
      for (let c = 1; c <= columnCount; c++) cells.push(readCell(row.getCell(c), r, c));
      rows.push(cells);
    }
    // exceljs keeps merged ranges by their top-left cell and exposes them only through the
    // whole-sheet model, which would copy every row; the map itself is read instead.
    const mergeMap = (ws as unknown as { _merges?: Record<string, { range: string }> })._merges ?? {};
    const merges = Object.entries(mergeMap).map(([master, range]) => range?.range ?? master);
    const columnWidths = Array.from({ length: columnCount }, (_, i) => ws.getColumn(i + 1).width ?? null);
    const headerRow = findHeaderRow(rows);
    sheets.push({ name: ws.name, rowCount, columnCount, rows, merges, columnWidths, ...(headerRow ? { headerRow } : {}), charts: charts.get(ws.name) ?? [] });
  });
  return { sheets };
}

function readCell(cell: ExcelJS.Cell, row: number, column: number): Cell {
  const ref = cellRef(row, column);
  const numFmt = cell.numFmt && cell.numFmt !== "General" ? { numFmt: cell.numFmt } : {};
  if (cell.isMerged && cell.master.address !== cell.address) return { ref, value: null, type: "empty", mergedInto: cell.master.address };
  const raw = cell.value;
  if (raw === null || raw === undefined || raw === "") return { ref, value: null, type: "empty", ...numFmt };
  if (typeof raw === "object" && !(raw instanceof Date) && ("formula" in raw || "sharedFormula" in raw)) {
    const result = (raw as { result?: unknown }).result;
    return { ref, value: plainValue(result), type: "formula", formula: cell.formula, ...numFmt };
  }
  if (raw instanceof Date) return { ref, value: isoDate(raw), type: "date", ...numFmt };
  if (typeof raw === "number") return { ref, value: raw, type: "number", ...numFmt };
  if (typeof raw === "boolean") return { ref, value: raw, type: "boolean", ...numFmt };
  if (typeof raw === "object" && "error" in raw) return { ref, value: String(raw.error), type: "error" };
  const text = typeof raw === "string" ? raw : cell.text;
  const looksLike = textLooksLike(text);
  return { ref, value: text, type: "text", ...numFmt, ...(looksLike ? { looksLike } : {}) };
}

function plainValue(value: unknown): CellValue {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return isoDate(value);
  if (typeof value === "object" && value && "error" in value) return String((value as { error: unknown }).error);
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return String(value);
}

/** Spreadsheet dates carry no zone: exceljs hands them over as UTC, so the UTC date is the one written. */
export function isoDate(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso.replace(/\.000Z$/, "Z");
}

/** Reads a CSV export as a one-sheet workbook: plain numbers become numbers, everything else stays text (flagged when it looks like a number or a date). */
export function readCsv(text: string, name = "Sheet1"): Workbook {
  const table = parseCsv(text);
  const columnCount = Math.max(0, ...table.map((r) => r.length));
  const rows = table.map((fields, r) =>
    Array.from({ length: columnCount }, (_, c): Cell => {
      const ref = cellRef(r + 1, c + 1);
      const field = fields[c] ?? "";
      if (field.trim() === "") return { ref, value: null, type: "empty" };
      if (/^-?\d+(\.\d+)?$/.test(field.trim())) return { ref, value: Number(field), type: "number" };
      const looksLike = textLooksLike(field);
      return { ref, value: field, type: "text", ...(looksLike ? { looksLike } : {}) };
    }),
  );
  const headerRow = findHeaderRow(rows);
  return { sheets: [{ name, rowCount: rows.length, columnCount, rows, merges: [], columnWidths: [], ...(headerRow ? { headerRow } : {}), charts: [] }] };
}
