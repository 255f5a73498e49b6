import path from "node:path";
import { z } from "zod";
import { defineTool, ToolError } from "./define.js";
import type { FileSystem } from "./io.js";
import description from "./list.md";

const MAX_ENTRIES = 500;
const ALWAYS_SKIPPED = new Set([".git", "node_modules", "dist", "build", ".venv", "__pycache__"]);

interface Node {
  name: string;
  dir: boolean;
  children?: Node[];
}

export const listTool = defineTool({
  name: "list",
  description,
  readOnly: true,
  parameters: z.object({
    path: z.string().optional().describe("default: workspace root"),
    depth: z.number().int().min(1).max(10).optional().describe("default 2"),
  }),
  async execute({ path: input = ".", depth = 2 }, ctx) {
    const root = ctx.workspace.resolve(input);
    const stats = await ctx.fs.stat(root).catch(() => undefined);
    if (!stats) throw new ToolError(`Folder not found: ${input}`);
    if (!stats.isDirectory()) throw new ToolError(`${input} is a file; use read_file.`);
    const ignored = await gitignoreMatcher(ctx.fs, ctx.workspace.root);
    const skip = (abs: string, name: string, dir: boolean) =>
      ALWAYS_SKIPPED.has(name) || ignored(ctx.workspace.relative(abs), dir);

    // Breadth first, so a capped listing shows the top of the tree rather than one deep corner.
    const top: Node = { name: ctx.workspace.relative(root), dir: true, children: [] };
    let queue: [Node, string, number][] = [[top, root, 1]];
    let count = 0;
    let capped = false;
    while (queue.length && !capped) {
      const next: typeof queue = [];
      for (const [node, abs, level] of queue) {
        const entries = await ctx.fs.readdir(abs).catch(() => []);
        const kids = entries
          .map((e) => ({ name: e.name, dir: e.isDirectory() }))
          .filter((e) => !skip(path.join(abs, e.name), e.name, e.dir))
          .sort((a, b) => Number(b.dir) - Number(a.dir) || byName(a.name, b.name));
        for (const kid of kids) {
          if (count >= MAX_ENTRIES) {
            capped = true;
            break;
          }
          const child: Node = { name: kid.name, dir: kid.dir };
          node.children!.push(child);
          count++;
          if (kid.dir && level < depth) {
            child.children = [];
            next.push([child, path.join(abs, kid.name), level + 1]);
          }
        }
        if (capped) break;
      }
      queue = next;
    }

    const lines = [`${top.name}/`];
    const render = (node: Node, indent: string) => {
      for (const child of node.children ?? []) {
        lines.push(`${indent}${child.name}${child.dir ? "/" : ""}`);
        render(child, `${indent}  `);
      }
    };
    render(top, "  ");
    if (count === 0) lines.push("  (empty)");
    if (capped) lines.push(`[capped at ${MAX_ENTRIES} entries; list a subfolder or use a smaller depth]`);
    return { content: lines.join("\n"), details: { entries: count, capped } };
  },
});

/**
 * A small matcher for the root .gitignore: plain names, `dir/`, `/anchored`, `*` and `?`
 * wildcards and `**`. Negations (`!`) are ignored; rg-backed tools apply the full rules.
 */
export async function gitignoreMatcher(fs: FileSystem, root: string): Promise<(rel: string, dir: boolean) => boolean> {
  const text = await fs
    .readFile(path.join(root, ".gitignore"))
    .then((b) => b.toString("utf8"))
    .catch(() => "");
  const rules = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#") && !l.startsWith("!"))
    .map((line) => {
      const dirOnly = line.endsWith("/");
      const body = line.replace(/\/+$/, "");
      // No slash except a trailing one: matches the name at any depth.
      const anchored = body.includes("/");
      const glob = body.replace(/^\//, "");
      const source = glob
        .split(/(\*\*\/?|\*|\?)/)
        .map((part) => {
          if (part === "**/") return "(?:.*/)?";
          if (part === "**") return ".*";
          if (part === "*") return "[^/]*";
          if (part === "?") return "[^/]";
          return part.replace(/[.+^${}()|[\]\\]/g, "\\$&");
        })
        .join("");
      return { dirOnly, anchored, regex: new RegExp(`^${source}$`) };
    });
  return (rel, dir) =>
    rules.some((r) => (!r.dirOnly || dir) && r.regex.test(r.anchored ? rel.split(path.sep).join("/") : path.basename(rel)));
}

/**
 * Case-insensitive, then by code point: what localeCompare gives for file names, without its first
 * call starting ICU's collator (~5 ms of a session's first listing).
 */
function byName(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x !== y) return x < y ? -1 : 1;
  return a < b ? 1 : a > b ? -1 : 0;
}
