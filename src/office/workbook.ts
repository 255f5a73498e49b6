/**
 * Spreadsheets as structured data: what the readers return and the writers take. Shared by
 * the tools, the task checkers and the library, so a checker reads a deliverable exactly as
 * the model was shown it.
 */

export type CellValue = string | number | boolean | null;

export interface Cell {
  /** A1-style address. */
  ref: string;
  /** The value (a formula's cached result; a date as `YYYY-MM-DD`, or an ISO time when it has one). */
  value: CellValue;
  type: "number" | "text" | "date" | "boolean" | "formula" | "error" | "empty";
  /** The formula without its leading `=`. */
  formula?: string;
  /** The number format, when it is not General. */
  numFmt?: string;
  /** Text that reads as another type: a number or a date stored as text (messy exports). */
  looksLike?: "number" | "date";
  /** A cell covered by a merged range: the address of the range's top-left cell. */
  mergedInto?: string;
}

export interface ChartInfo {
  type: string;
  title?: string;
  series: Array<{ name?: string; categories?: string; values?: string }>;
}

export interface Sheet {
  name: string;
  rowCount: number;
  columnCount: number;
  /** Dense rows 1..rowCount, columns 1..columnCount (empty cells have type "empty"). */
  rows: Cell[][];
  /** Merged ranges such as "A1:D1". */
  merges: string[];
  /** Column widths in characters, where set. */
  columnWidths: Array<number | null>;
  /** The row (1-based) that holds the column names, found below any title rows; undefined when none. */
  headerRow?: number;
  charts: ChartInfo[];
}

export interface Workbook {
  sheets: Sheet[];
}

/** "B3" for row 3, column 2 (both 1-based). */
export function cellRef(row: number, column: number): string {
  let letters = "";
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return `${letters}${row}`;
}

/** {row, column} of "B3" (1-based); undefined for anything else. */
export function parseRef(ref: string): { row: number; column: number } | undefined {
  const m = /^\$?([A-Z]{1,3})\$?(\d+)$/i.exec(ref.trim());
  if (!m) return undefined;
  let column = 0;
  for (const ch of m[1]!.toUpperCase()) column = column * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(m[2]), column };
}

const MONTH = "(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?";
const DATE_TEXT = [
  /^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2})?)?$/,
  /^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$/,
  new RegExp(`^${MONTH} \\d{1,2},? \\d{4}$`, "i"),
  new RegExp(`^\\d{1,2}[ -]${MONTH}[ -]\\d{2,4}$`, "i"),
];
const NUMBER_TEXT = /^[-+(]?\s*[$€£¥]?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\s*\)?\s*%?$/;

/** Whether text is really a number or a date (as a messy export stores them). */
export function textLooksLike(text: string): "number" | "date" | undefined {
  const t = text.trim();
  if (!t) return undefined;
  if (NUMBER_TEXT.test(t) && /\d/.test(t)) return "number";
  if (DATE_TEXT.some((re) => re.test(t))) return "date";
  return undefined;
}

/** The number a text such as "$1,234.50", "(12)" or "7%" stands for; undefined when it is not one. */
export function numberFromText(text: string): number | undefined {
  const t = text.trim();
  if (!NUMBER_TEXT.test(t)) return undefined;
  const negative = t.startsWith("-") || (t.startsWith("(") && t.endsWith(")"));
  const n = Number(t.replace(/[^\d.]/g, ""));
  if (!Number.isFinite(n)) return undefined;
  const signed = negative ? -n : n;
  return t.endsWith("%") ? signed / 100 : signed;
}

/**
 * The header row: the first of the top rows whose text cells span most of the table's width
 * (a title above it has one cell; data below it has numbers and dates).
 */
export function findHeaderRow(rows: Cell[][]): number | undefined {
  const filled = (row: Cell[]) => row.filter((c) => c.type !== "empty");
  const width = Math.max(0, ...rows.map((r) => filled(r).length));
  if (width < 2) return undefined;
  for (let i = 0; i < Math.min(rows.length, 20); i++) {
    const cells = filled(rows[i]!);
    const labels = cells.filter((c) => c.type === "text" && !c.looksLike);
    if (labels.length >= 2 && labels.length >= Math.ceil(width * 0.6) && labels.length === cells.length) return i + 1;
  }
  return undefined;
}

/** The rows below the header as objects keyed by column name (empty rows left out). */
export function sheetRecords(sheet: Sheet): Array<Record<string, CellValue>> {
  const header = sheet.headerRow ?? 1;
  const names = (sheet.rows[header - 1] ?? []).map((c, i) => (c.value === null ? `column ${i + 1}` : String(c.value).trim()));
  return sheet.rows
    .slice(header)
    .filter((row) => row.some((c) => c.type !== "empty"))
    .map((row) => Object.fromEntries(names.map((name, i) => [name, row[i]?.value ?? null])));
}

/** A sheet of a workbook by name (case-insensitive), or the first. */
export function sheetNamed(book: Workbook, name?: string): Sheet | undefined {
  if (!name) return book.sheets[0];
  return book.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
}
