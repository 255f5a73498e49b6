import type ExcelJS from "exceljs";
import { loadVendor } from "../vendor/load.js";
import { parseRef } from "./workbook.js";
import { addXlsxCharts, type ChartSpec, readXlsxCharts } from "./xlsx-chart.js";

/** A cell to write: a value, a formula (`{formula}` or text starting with `=`), or a date (`{date: "2024-03-31"}`). */
export type CellInput = string | number | boolean | null | { formula: string; result?: number | string } | { date: string };

export interface SheetSpec {
  name: string;
  rows: CellInput[][];
  /** Number formats by range: `{range: "C2:C20", format: "#,##0.00"}`. */
  numberFormats?: Array<{ range: string; format: string }>;
  merges?: string[];
  /** Widths in characters, column A first. */
  columnWidths?: number[];
  /** Rows (1-based) shown bold: the header. */
  boldRows?: number[];
  /** Freeze the rows above this one (e.g. 2 keeps row 1 in view). */
  freezeBelowRow?: number;
  charts?: ChartSpec[];
}

export interface CellUpdate {
  sheet?: string;
  cell: string;
  value: CellInput;
  numFmt?: string;
}

export class OfficeInputError extends Error {}

const DATE_FORMAT = "yyyy-mm-dd";

function toExcelValue(input: CellInput): { value: ExcelJS.CellValue; numFmt?: string } {
  if (input === null || input === undefined) return { value: null };
  if (typeof input === "string" && input.startsWith("=") && input.length > 1) return { value: { formula: input.slice(1) } as ExcelJS.CellFormulaValue };
  if (typeof input !== "object") return { value: input };
  if ("formula" in input) {
    const formula = input.formula.replace(/^=/, "");
    return { value: (input.result === undefined ? { formula } : { formula, result: input.result }) as ExcelJS.CellFormulaValue };
  }
  const date = parseIsoDate(input.date);
  if (!date) throw new OfficeInputError(`"${input.date}" is not a date in the form YYYY-MM-DD`);
  return { value: date, numFmt: DATE_FORMAT };
}

function parseIsoDate(text: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?Z?$/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = "0", mi = "0", s = "0"] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  return date.getUTCMonth() === Number(mo) - 1 ? date : undefined;
}

function eachCell(range: string, visit: (row: number, column: number) => void): void {
  const [from, to = from] = range.split(":");
  const a = parseRef(from ?? "");
  const b = parseRef(to ?? "");
  if (!a || !b) throw new OfficeInputError(`"${range}" is not a cell range like B2:B20`);
  for (let r = Math.min(a.row, b.row); r <= Math.max(a.row, b.row); r++) for (let c = Math.min(a.column, b.column); c <= Math.max(a.column, b.column); c++) visit(r, c);
}

/** Writes a new workbook: values, formulas, dates, number formats, merges, widths and native charts. */
export async function writeXlsx(sheets: SheetSpec[]): Promise<Buffer> {
  const { default: Excel } = await loadVendor.exceljs();
  const book = new Excel.Workbook();
  book.creator = "colleague";
  const charts: Array<{ sheet: string; chart: ChartSpec; anchor: { row: number; column: number } }> = [];
  for (const spec of sheets) {
    if (book.getWorksheet(spec.name)) throw new OfficeInputError(`two sheets are named ${spec.name}`);
    const ws = book.addWorksheet(spec.name, spec.freezeBelowRow ? { views: [{ state: "frozen", ySplit: spec.freezeBelowRow - 1 }] } : {});
    spec.rows.forEach((row, r) => {
      row.forEach((input, c) => {
        const cell = ws.getCell(r + 1, c + 1);
        const { value, numFmt } = toExcelValue(input);
        cell.value = value;
        if (numFmt) cell.numFmt = numFmt;
      });
    });
    for (const { range, format } of spec.numberFormats ?? []) {
      eachCell(range, (r, c) => {
        ws.getCell(r, c).numFmt = format;
      });
    }
    for (const row of spec.boldRows ?? []) ws.getRow(row).font = { bold: true };
    for (const range of spec.merges ?? []) {
      eachCell(range, () => undefined);
      ws.mergeCells(range);
    }
    (spec.columnWidths ?? []).forEach((width, i) => {
      if (width > 0) ws.getColumn(i + 1).width = width;
    });
    const widest = Math.max(1, ...spec.rows.map((r) => r.length));
    for (const chart of spec.charts ?? []) {
      for (const range of [chart.categories, ...chart.series.map((s) => s.values)]) eachCell(range, () => undefined);
      const anchor = chart.anchor ? parseRef(chart.anchor) : { row: 2, column: widest + 2 };
      if (!anchor) throw new OfficeInputError(`chart anchor "${chart.anchor}" is not a cell like E2`);
      charts.push({ sheet: spec.name, chart, anchor });
    }
  }
  const written = Buffer.from(await book.xlsx.writeBuffer());
  return addXlsxCharts(written, charts);
}

/** Changes cells of an existing workbook and keeps the rest (formulas, formats, merges). */
export async function updateXlsx(data: Buffer, updates: CellUpdate[]): Promise<Buffer> {
  if ((await readXlsxCharts(data)).size > 0) {
    throw new OfficeInputError("this workbook has charts, which an in-place update would drop: write the whole workbook again (sheets, with its charts)");
  }
  const { default: Excel } = await loadVendor.exceljs();
  const book = new Excel.Workbook();
  await book.xlsx.load(data as unknown as ArrayBuffer);
  for (const update of updates) {
    const ws = update.sheet ? book.getWorksheet(update.sheet) : book.worksheets[0];
    if (!ws) throw new OfficeInputError(`no sheet named ${update.sheet}; the sheets are ${book.worksheets.map((w) => w.name).join(", ")}`);
    const at = parseRef(update.cell);
    if (!at) throw new OfficeInputError(`"${update.cell}" is not a cell address like B7`);
    const cell = ws.getCell(at.row, at.column);
    const { value, numFmt } = toExcelValue(update.value);
    cell.value = value;
    if (update.numFmt ?? numFmt) cell.numFmt = (update.numFmt ?? numFmt)!;
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
