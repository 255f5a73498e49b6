import path from "node:path";
import { z } from "zod";
import { defineTool, ToolError } from "./define.js";
import type { FileSystem } from "./io.js";
import { type LineWindow, readLineWindow } from "./line-window.js";
import description from "./read-file.md";

const DEFAULT_LIMIT = 2000;
const MAX_LINE_CHARS = 2000;
/** Stop before runTool's 30,000-char cut, so the closing note can give the exact next offset. */
const MAX_OUTPUT_CHARS = 28_000;
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const BINARY_SNIFF_BYTES = 8192;
/** Up to this size the whole file is scanned, so the note can give its line count; past it, its size. */
const COUNT_ALL_BYTES = 32 * 1024 * 1024;

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
    // A pipe would block the read, a device may never end: only files are read.
    if (!stats.isFile()) throw new ToolError(`${input} is not a regular file (a device, a pipe or a socket); not read.`);

    const reader = await ctx.fs.openForReading(file);
    try {
      const head = Buffer.alloc(Math.min(stats.size, BINARY_SNIFF_BYTES));
      const headBytes = head.length ? await reader.read(head, 0) : 0;
      const sniffed = head.subarray(0, headBytes);
      const image = imageType(sniffed);
      if (image && stats.size <= MAX_IMAGE_BYTES) {
        const data = await ctx.fs.readFile(file);
        return {
          content: [
            { type: "text", text: `Image ${ctx.workspace.relative(file)} (${image}, ${data.length} bytes)` },
            { type: "image", mediaType: image, data: data.toString("base64") },
          ],
          details: { bytes: data.length, mediaType: image },
        };
      }
      // Only the first bytes are looked at: a log with a NUL deep inside is still text.
      if (image || sniffed.includes(0)) return { content: `binary file (${stats.size} bytes), not shown` };
      const limits = { offset, limit, maxLineChars: MAX_LINE_CHARS, maxOutputChars: MAX_OUTPUT_CHARS };
      const window = await readLineWindow((buffer, position) => reader.read(buffer, position), limits, stats.size <= COUNT_ALL_BYTES);
      return { content: numberedLines(window, offset, stats.size), details: { bytes: stats.size } };
    } finally {
      await reader.close();
    }
  },
});

/** The window's lines, numbered, with a closing note when more remain. */
export function numberedLines(window: LineWindow, offset: number, fileBytes: number): string {
  const { lines, totalLines } = window;
  if (totalLines === 0) return "(empty file)";
  if (lines.length === 0) throw new ToolError(`offset ${offset} is past the end of the file (${totalLines} lines).`);
  const out = lines.map((line) => `${line.number}\t${line.chars > line.text.length ? `${line.text}… [line cut: ${line.chars} chars]` : line.text}`);
  if (window.moreAfter) {
    const last = lines.at(-1)!.number;
    const of = totalLines === undefined ? `a ${formatBytes(fileBytes)} file` : String(totalLines);
    out.push(`… showing lines ${offset}-${last} of ${of}; use offset=${last + 1} to read more`);
  }
  return out.join("\n");
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
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
