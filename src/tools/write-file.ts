import path from "node:path";
import { z } from "zod";
import { defineTool, ToolError } from "./define.js";
import description from "./write-file.md";

export const writeFileTool = defineTool({
  name: "write_file",
  description,
  readOnly: false,
  parameters: z.object({ path: z.string(), content: z.string() }),
  async execute({ path: input, content }, ctx) {
    const file = ctx.workspace.resolve(input);
    const existing = await ctx.fs.stat(file).catch(() => undefined);
    if (existing?.isDirectory()) throw new ToolError(`${input} is a directory; give a file path.`);
    await ctx.fs.mkdir(path.dirname(file));
    await ctx.fs.writeFile(file, content);
    const created = existing === undefined;
    const bytes = Buffer.byteLength(content);
    return {
      content: `${created ? "Created" : "Overwrote"} ${ctx.workspace.relative(file)} (${plural(lineCount(content), "line")})`,
      details: { created, bytes },
    };
  },
});

/** Lines as an editor counts them: a trailing newline does not start another line. */
export function lineCount(text: string): number {
  if (text === "") return 0;
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
