import path from "node:path";
import { z } from "zod";
import { defineTool, ToolError } from "./define.js";
import description from "./read-file.md";
import type { FileSystem } from "./io.js";

const DEFAULT_LIMIT = 2000;
const MAX_LINE_CHARS = 2000;
/** Stop before runTool's 30,000-char cut, so the closing note can give the exact next offset. */
const MAX_OUTPUT_CHARS = 28_000;
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const BINARY_SNIFF_BYTES = 8192;

export const readFileTool = defineTool({
  name: "read_file",
  description,
  readOnly: true,
  parameters: z.object({
    path: z.string(),
    offset: z.number().int().min(1).max(1e9).optional().describe("first line, 1-based"),
    limit: z.number().int().min(1).max(1e5).optional().describe("max lines (default 2000)"),
  }),
  async execute({ path: input, offset = 1, limit = DEFAULT_LIMIT }, ctx) {
    const file = ctx.workspace.resolve(input);
    const stats = await ctx.fs.stat(file).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT" && error.code !== "ENOTDIR") throw error;
      const hints = await similarNames(ctx.fs, file);
      const hint = hints.length ? ` Similar: ${hints.map((h) => ctx.workspace.relative(h)).join(", ")}` : "";
      throw new ToolError(`File not found: ${input}.${hint}`);
    });
    if (stats.isDirectory()) throw new ToolError(`${input} is a directory; use list to see its contents.`);

    const data = await ctx.fs.readFile(file);
    const image = imageType(data);
    if (image && data.length <= MAX_IMAGE_BYTES) {
      return {
        content: [
          { type: "text", text: `Image ${ctx.workspace.relative(file)} (${image}, ${data.length} bytes)` },
          { type: "image", mediaType: image, data: data.toString("base64") },
        ],
        details: { bytes: data.length, mediaType: image },
      };
    }
    if (image || data.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
      return { content: `binary file (${data.length} bytes), not shown` };
    }
    return { content: numberedLines(data.toString("utf8"), offset, limit), details: { bytes: data.length } };
  },
});

/** The requested window of lines, numbered, with a closing note when more remain. */
export function numberedLines(text: string, offset: number, limit: number): string {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === "") lines.pop(); // a final newline ends the last line; it starts no new one
  const total = lines.length;
  if (total === 0) return "(empty file)";
  if (offset > total) throw new ToolError(`offset ${offset} is past the end of the file (${total} lines).`);

  const out: string[] = [];
  let chars = 0;
  let last = offset - 1;
  for (let i = offset - 1; i < Math.min(total, offset - 1 + limit); i++) {
    let line = lines[i]!;
    if (line.length > MAX_LINE_CHARS) {
      line = `${line.slice(0, MAX_LINE_CHARS)}… [line cut: ${line.length} chars]`;
    }
    const entry = `${i + 1}\t${line}`;
    if (chars + entry.length > MAX_OUTPUT_CHARS && out.length > 0) break;
    out.push(entry);
    chars += entry.length + 1;
    last = i + 1;
  }
  if (last < total) {
    out.push(`… showing lines ${offset}-${last} of ${total}; use offset=${last + 1} to read more`);
  }
  return out.join("\n");
}

const IMAGE_SIGNATURES: [string, (b: Buffer) => boolean][] = [
  ["image/png", (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))],
  ["image/jpeg", (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ["image/gif", (b) => b.subarray(0, 6).toString("latin1").match(/^GIF8[79]a$/) !== null],
  ["image/webp", (b) => b.subarray(0, 4).toString("latin1") === "RIFF" && b.subarray(8, 12).toString("latin1") === "WEBP"],
];

/** Media type by magic bytes: the extension may lie, the header does not. */
function imageType(data: Buffer): string | undefined {
  return IMAGE_SIGNATURES.find(([, test]) => test(data))?.[0];
}

/** Up to 3 names in the same folder close to the missing one (typo, case, other extension). */
async function similarNames(fs: FileSystem, missing: string): Promise<string[]> {
  const dir = path.dirname(missing);
  const wanted = path.basename(missing).toLowerCase();
  const stem = (name: string) => name.replace(/\.[^.]*$/, "");
  const entries = await fs.readdir(dir).catch(() => []);
  return entries
    .map((e) => e.name)
    .filter((name) => {
      const lower = name.toLowerCase();
      return stem(lower) === stem(wanted) || editDistance(lower, wanted) <= Math.max(1, Math.floor(wanted.length / 4));
    })
    .slice(0, 3)
    .map((name) => path.join(dir, name));
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
