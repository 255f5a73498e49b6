import path from "node:path";
import { z } from "zod";
import { formatCsv } from "../../office/csv.js";
import { OfficeInputError, updateXlsx, writeXlsx } from "../../office/workbook-write.js";
import { defineTool, ToolError } from "../define.js";
import description from "./sheet-write.md";

const Cell = z.union([z.string(), z.number(), z.boolean(), z.null(), z.object({ formula: z.string(), result: z.union([z.number(), z.string()]).optional() }), z.object({ date: z.string() })]);
const Chart = z.object({
  type: z.enum(["column", "bar", "line", "pie"]),
  title: z.string().optional(),
  categories: z.string().describe("Range of the labels, e.g. A2:A7"),
  series: z.array(z.object({ name: z.string().optional(), values: z.string().describe("Range of the numbers, e.g. B2:B7") })).min(1),
  anchor: z.string().optional().describe("Top-left cell of the chart, e.g. E2"),
});
const Sheet = z.object({
  name: z.string().min(1).max(31),
  rows: z.array(z.array(Cell)),
  numberFormats: z.array(z.object({ range: z.string(), format: z.string() })).optional(),
  merges: z.array(z.string()).optional(),
  columnWidths: z.array(z.number()).optional(),
  boldRows: z.array(z.number().int().positive()).optional(),
  freezeBelowRow: z.number().int().positive().optional(),
  charts: z.array(Chart).optional(),
});

export const sheetWriteTool = defineTool({
  name: "sheet_write",
  description,
  readOnly: false,
  parameters: z.object({
    path: z.string().describe("An .xlsx or .csv file in the workspace"),
    sheets: z.array(Sheet).optional().describe("The whole workbook to write (replaces the file)"),
    updates: z
      .array(z.object({ sheet: z.string().optional(), cell: z.string(), value: Cell, numFmt: z.string().optional() }))
      .optional()
      .describe("Cells to change in an existing .xlsx"),
  }),
  async execute(args, ctx) {
    const file = ctx.workspace.resolve(args.path);
    const ext = path.extname(file).toLowerCase();
    if (ext !== ".xlsx" && ext !== ".csv") throw new ToolError(`sheet_write writes .xlsx or .csv, not ${ext || "a file without an extension"}`);
    if (!args.sheets === !args.updates) throw new ToolError("give either sheets (a new workbook) or updates (cells of an existing one)");
    let data: Buffer;
    try {
      if (args.updates) {
        if (ext !== ".xlsx") throw new ToolError("updates apply to .xlsx files; write a .csv whole with sheets");
        const existing = await ctx.fs.readFile(file).catch(() => {
          throw new ToolError(`no workbook at ${args.path} to update; write it with sheets first`);
        });
        data = await updateXlsx(existing, args.updates);
      } else if (ext === ".csv") {
        const [sheet, ...rest] = args.sheets!;
        if (!sheet || rest.length) throw new ToolError("a .csv holds exactly one sheet");
        if (sheet.rows.some((r) => r.some((c) => c !== null && typeof c === "object"))) throw new ToolError("a .csv holds plain values: no formulas or date objects");
        data = Buffer.from(formatCsv(sheet.rows));
      } else data = await writeXlsx(args.sheets!);
    } catch (error) {
      if (error instanceof OfficeInputError) throw new ToolError(error.message);
      throw error;
    }
    await ctx.fs.mkdir(path.dirname(file));
    await ctx.fs.writeFile(file, data);
    const what = args.updates
      ? `updated ${args.updates.length} cell${args.updates.length === 1 ? "" : "s"}`
      : args.sheets!.map((s) => `sheet "${s.name}" (${s.rows.length} rows${s.charts?.length ? `, ${s.charts.length} chart${s.charts.length === 1 ? "" : "s"}` : ""})`).join(", ");
    return { content: `Wrote ${ctx.workspace.relative(file)}: ${what}. Check it with office_read or office_render before describing it.`, details: { bytes: data.length } };
  },
});
