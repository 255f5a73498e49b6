import path from "node:path";
import { z } from "zod";
import { writeDocument } from "../../office/document-write.js";
import { OfficeInputError } from "../../office/workbook-write.js";
import { defineTool, ToolError } from "../define.js";
import description from "./document-write.md";

const Block = z.object({
  heading: z.string().optional(),
  level: z.number().int().min(1).max(3).optional(),
  paragraph: z.string().optional(),
  bullets: z.array(z.string()).optional(),
  numbered: z.array(z.string()).optional(),
  table: z.array(z.array(z.union([z.string(), z.number()]))).optional(),
  redline: z.object({ original: z.string(), revised: z.string() }).optional(),
  pageBreak: z.boolean().optional(),
});

export const documentWriteTool = defineTool({
  name: "document_write",
  description,
  readOnly: false,
  parameters: z.object({
    path: z.string().describe("A .docx file in the workspace"),
    blocks: z.array(Block).min(1),
    title: z.string().optional(),
    author: z.string().optional().describe("Who tracked changes are attributed to"),
  }),
  async execute(args, ctx) {
    const file = ctx.workspace.resolve(args.path);
    if (path.extname(file).toLowerCase() !== ".docx") throw new ToolError("document_write writes .docx files");
    let data: Buffer;
    try {
      data = await writeDocument(args.blocks, { ...(args.title ? { title: args.title } : {}), ...(args.author ? { author: args.author } : {}) });
    } catch (error) {
      if (error instanceof OfficeInputError) throw new ToolError(error.message);
      throw error;
    }
    await ctx.fs.mkdir(path.dirname(file));
    await ctx.fs.writeFile(file, data);
    return { content: `Wrote ${ctx.workspace.relative(file)}: ${args.blocks.length} block${args.blocks.length === 1 ? "" : "s"}. Check it with office_read or office_render.`, details: { bytes: data.length } };
  },
});
