import path from "node:path";
import { z } from "zod";
import { readDeck } from "../../office/deck-read.js";
import { describeDeck, describeDocument, describePdf, describeWorkbook } from "../../office/describe.js";
import { readDocument } from "../../office/document-read.js";
import { officeKind, readWorkbookData } from "../../office/index.js";
import { readPdf } from "../../office/pdf-read.js";
import { parsePages } from "../../office/render.js";
import { defineTool, ToolError } from "../define.js";
import description from "./office-read.md";

export const officeReadTool = defineTool({
  name: "office_read",
  description,
  readOnly: true,
  maxOutputChars: 60_000,
  parameters: z.object({
    path: z.string().describe("An .xlsx, .csv, .pptx, .docx or .pdf file in the workspace"),
    sheet: z.string().optional().describe("Spreadsheets: only this sheet"),
    maxRows: z.number().int().positive().optional().describe("Spreadsheets: rows shown per sheet (default 200)"),
    pages: z.string().optional().describe('PDF: pages to show, e.g. "1-3,5" (default all)'),
  }),
  async execute(args, ctx) {
    const file = ctx.workspace.resolve(args.path);
    const kind = officeKind(file);
    if (!kind) throw new ToolError(`${args.path} is not an office file this tool reads (.xlsx, .csv, .pptx, .docx, .pdf); use read_file for text`);
    const data = await ctx.fs.readFile(file).catch(() => {
      throw new ToolError(`no file at ${args.path}`);
    });
    const name = ctx.workspace.relative(file);
    try {
      if (kind === "workbook") {
        const book = await readWorkbookData(data, file);
        return { content: describeWorkbook(name, book, args), details: { kind, sheets: book.sheets.map((s) => ({ name: s.name, rows: s.rowCount })) } };
      }
      if (kind === "deck") {
        const deck = await readDeck(data);
        return { content: describeDeck(name, deck), details: { kind, slides: deck.slides.length } };
      }
      if (kind === "document") {
        const doc = await readDocument(data);
        return { content: describeDocument(name, doc), details: { kind, blocks: doc.blocks.length, changes: doc.changes.length } };
      }
      const pdf = await readPdf(data);
      return { content: describePdf(name, pdf, parsePages(args.pages, pdf.pages.length)), details: { kind, pages: pdf.pages.length } };
    } catch (error) {
      if (error instanceof ToolError) throw error;
      throw new ToolError(`${args.path} could not be read as ${path.extname(file)}: ${(error as Error).message}`);
    }
  },
});
