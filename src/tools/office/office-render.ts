import path from "node:path";
import { z } from "zod";
import type { ImagePart, UserPart } from "../../model/types.js";
import { parsePages, RENDERABLE, renderCommand } from "../../office/render.js";
import { defineTool, ToolError } from "../define.js";
import description from "./office-render.md";

const MAX_IMAGES = 10;
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const TIMEOUT_MS = 180_000;

/**
 * office_render runs LibreOffice and pdftoppm through the session's process runner, so inside
 * the sandbox when there is one: both need only the file, the workspace to write to and a
 * private temp folder for the LibreOffice profile, which the sandbox provides. The command is
 * built here from a confined path, never from the model's text.
 */
export const officeRenderTool = defineTool({
  name: "office_render",
  description,
  // It writes only the renders of a file into renders/, and re-running it does no harm.
  readOnly: true,
  parameters: z.object({
    path: z.string().describe("An .xlsx, .csv, .pptx, .docx or .pdf file in the workspace"),
    pages: z.string().optional().describe('Pages to render, e.g. "1-3,5" (default all)'),
  }),
  async execute(args, ctx) {
    const file = ctx.workspace.resolve(args.path);
    const ext = path.extname(file).toLowerCase();
    if (!RENDERABLE.has(ext)) throw new ToolError(`office_render renders ${[...RENDERABLE].join(" ")} files, not ${ext || "a file without an extension"}`);
    if (!(await ctx.fs.stat(file).catch(() => undefined))?.isFile()) throw new ToolError(`no file at ${args.path}`);
    const stem = path.basename(file, path.extname(file));
    const outDir = ctx.workspace.resolve(path.join("renders", stem.replace(/[^\w.-]+/g, "_")));
    await ctx.fs.mkdir(outDir);
    for (const entry of await ctx.fs.readdir(outDir)) if (/^page-\d+\.png$/.test(entry.name)) await ctx.fs.rm(path.join(outDir, entry.name));
    let wanted: number[] | undefined;
    try {
      wanted = args.pages ? parsePages(args.pages, 10_000) : undefined;
    } catch (error) {
      throw new ToolError((error as Error).message);
    }
    const plan = renderCommand(file, outDir, wanted?.length ? { first: wanted[0]!, last: wanted.at(-1)! } : {});
    const run = await ctx.runner.run(plan.command, { cwd: ctx.workspace.root, timeoutMs: TIMEOUT_MS, maxOutputBytes: 20_000, signal: ctx.signal });
    if (run.timedOut) throw new ToolError(`rendering ${args.path} took longer than ${TIMEOUT_MS / 1000} s and was stopped`);
    if (run.exitCode !== 0) throw new ToolError(`rendering ${args.path} failed (exit ${run.exitCode ?? run.signal}): ${run.output.trim().slice(-600) || "no output"}`);
    const pages = (await ctx.fs.readdir(outDir))
      .map((e) => /^page-(\d+)\.png$/.exec(e.name))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ n: Number(m[1]), file: path.join(outDir, m[0]) }))
      .filter((p) => !wanted || wanted.includes(p.n))
      .sort((a, b) => a.n - b.n);
    if (pages.length === 0) throw new ToolError(`rendering ${args.path} produced no pages${wanted ? ` in ${args.pages}` : ""}`);
    // pdftoppm pads page numbers to the page count's width; plain numbers are easier to name.
    for (const p of pages) {
      const plain = path.join(outDir, `page-${p.n}.png`);
      if (plain !== p.file) await ctx.fs.rename(p.file, plain);
      p.file = plain;
    }
    const shown = pages.slice(0, MAX_IMAGES);
    const images: ImagePart[] = [];
    for (const p of shown) {
      const data = await ctx.fs.readFile(p.file);
      if (data.length <= MAX_IMAGE_BYTES) images.push({ type: "image", mediaType: "image/png", data: data.toString("base64") });
    }
    const rel = (f: string) => ctx.workspace.relative(f);
    const header =
      `Rendered ${rel(file)}: ${pages.length} page${pages.length === 1 ? "" : "s"}${wanted ? ` (of the pages asked for)` : ""} → ${rel(outDir)}/page-N.png` +
      (pages.length > shown.length ? `; showing pages ${shown[0]!.n}–${shown.at(-1)!.n} (ask for others with pages)` : "");
    const content: UserPart[] = [{ type: "text", text: header }];
    shown.forEach((p, i) => {
      content.push({ type: "text", text: `Page ${p.n}:` });
      const image = images[i];
      if (image) content.push(image);
    });
    return { content, details: { pages: pages.map((p) => rel(p.file)), pdf: rel(plan.pdf) } };
  },
});
