import { readFile } from "node:fs/promises";
import path from "node:path";
import { readDeck } from "./deck-read.js";
import type { DeckContent } from "./deck.js";
import { readDocument } from "./document-read.js";
import type { DocumentContent } from "./document.js";
import { type PdfContent, readPdf } from "./pdf-read.js";
import type { Workbook } from "./workbook.js";
import { readCsv, readXlsx } from "./workbook-read.js";

/**
 * The office readers by file path: what task checkers and library users call. Each loads its
 * converter on first use, so importing this costs nothing at start-up.
 */

export type OfficeKind = "workbook" | "deck" | "document" | "pdf";

const KINDS: Record<string, OfficeKind> = { ".xlsx": "workbook", ".xlsm": "workbook", ".csv": "workbook", ".tsv": "workbook", ".pptx": "deck", ".docx": "document", ".pdf": "pdf" };

export function officeKind(file: string): OfficeKind | undefined {
  return KINDS[path.extname(file).toLowerCase()];
}

export async function readWorkbookData(data: Buffer, file: string): Promise<Workbook> {
  const ext = path.extname(file).toLowerCase();
  if (ext === ".csv" || ext === ".tsv") return readCsv(data.toString("utf8"), path.basename(file, ext));
  return readXlsx(data);
}

export const readWorkbookFile = async (file: string): Promise<Workbook> => readWorkbookData(await readFile(file), file);
export const readDeckFile = async (file: string): Promise<DeckContent> => readDeck(await readFile(file));
export const readDocumentFile = async (file: string): Promise<DocumentContent> => readDocument(await readFile(file));
export const readPdfFile = async (file: string): Promise<PdfContent> => readPdf(await readFile(file));

export type { DeckContent, SlideContent, SlideSpec } from "./deck.js";
export type { BlockSpec, DocumentBlock, DocumentContent, TrackedChange } from "./document.js";
export type { PdfContent } from "./pdf-read.js";
export type { Cell, CellValue, ChartInfo, Sheet, Workbook } from "./workbook.js";
export { numberFromText, sheetNamed, sheetRecords, textLooksLike } from "./workbook.js";
export type { CellInput, CellUpdate, SheetSpec } from "./workbook-write.js";
export { diffWords } from "./word-diff.js";
