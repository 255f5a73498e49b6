// Shared by the office suite's checkers: the deliverable read with colleague's own readers
// (the ones the model's office_read uses), and a verdict from a list of problems.
import { existsSync } from "node:fs";
import path from "node:path";

export { readDeckFile, readDocumentFile, readPdfFile, readWorkbookFile, sheetNamed, sheetRecords } from "colleague";

/** The deliverable's full path, or undefined (and a reason) when it is missing. */
export function deliverable(workspace, rel, reasons) {
  const file = path.join(workspace, rel);
  if (!existsSync(file)) {
    reasons.push(`${rel} is missing`);
    return undefined;
  }
  return file;
}

export const verdict = (reasons) => ({ pass: reasons.length === 0, reasons });

/** A formula as written, without `=`, `$`, spaces or case: "=sum($B$2:B6)" → "SUM(B2:B6)". */
export const formula = (cell) => (cell?.formula ?? "").replace(/^=/, "").replace(/[$\s]/g, "").toUpperCase();

/** Compares two values and records a reason when they differ. */
export function same(reasons, what, actual, expected) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) reasons.push(`${what}: expected ${e}, found ${a}`);
}

/** The values of a sheet's rows from `from` (1-based) on, empty trailing rows dropped. */
export function rowValues(sheet, from = 1) {
  const rows = sheet.rows.slice(from - 1).map((r) => r.map((c) => c.value));
  while (rows.length && rows.at(-1).every((v) => v === null)) rows.pop();
  return rows.map((r) => {
    const copy = [...r];
    while (copy.length && copy.at(-1) === null) copy.pop();
    return copy;
  });
}
