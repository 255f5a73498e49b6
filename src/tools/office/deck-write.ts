import path from "node:path";
import { z } from "zod";
import { writeDeck } from "../../office/deck-write.js";
import { OfficeInputError } from "../../office/workbook-write.js";
import { defineTool, ToolError } from "../define.js";
import description from "./deck-write.md";

const Slide = z.object({
  title: z.string().optional(),
  subtitle: z.string().optional(),
  bullets: z.array(z.string()).optional(),
  table: z.array(z.array(z.union([z.string(), z.number()]))).optional(),
  chart: z
    .object({
      type: z.enum(["column", "bar", "line", "pie"]),
      title: z.string().optional(),
      categories: z.array(z.string()).min(1),
      series: z.array(z.object({ name: z.string(), values: z.array(z.number()) })).min(1),
    })
    .optional(),
  image: z.string().optional().describe("A png or jpg in the workspace"),
  notes: z.string().optional().describe("Speaker notes"),
});

export const deckWriteTool = defineTool({
  name: "deck_write",
  description,
  readOnly: false,
  parameters: z.object({ path: z.string().describe("A .pptx file in the workspace"), slides: z.array(Slide).min(1) }),
  async execute(args, ctx) {
    const file = ctx.workspace.resolve(args.path);
    if (path.extname(file).toLowerCase() !== ".pptx") throw new ToolError("deck_write writes .pptx files");
    args.slides.forEach((s, i) => {
      const visuals = [s.table, s.chart, s.image].filter((v) => v !== undefined).length;
      if (visuals > 1) throw new ToolError(`slide ${i + 1} has ${visuals} visuals; give one of table, chart or image per slide`);
    });
    const loadImage = async (image: string) => {
      const full = ctx.workspace.resolve(image);
      if (!/\.(png|jpe?g)$/i.test(full)) throw new ToolError(`${image}: slides take png or jpg images`);
      return ctx.fs.readFile(full).catch(() => {
        throw new ToolError(`no image at ${image}`);
      });
    };
    let data: Buffer;
    try {
      data = await writeDeck(args.slides, loadImage);
    } catch (error) {
      if (error instanceof OfficeInputError) throw new ToolError(error.message);
      throw error;
    }
    await ctx.fs.mkdir(path.dirname(file));
    await ctx.fs.writeFile(file, data);
    const notes = args.slides.filter((s) => s.notes).length;
    return {
      content: `Wrote ${ctx.workspace.relative(file)}: ${args.slides.length} slide${args.slides.length === 1 ? "" : "s"}, ${notes} with speaker notes. Render it with office_render to check how it looks.`,
      details: { bytes: data.length, slides: args.slides.length },
    };
  },
});
