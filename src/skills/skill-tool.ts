import path from "node:path";
import { z } from "zod";
import { type AnyTool, defineTool, ToolError } from "../tools/define.js";
import type { FileSystem } from "../tools/io.js";
import { Workspace } from "../tools/workspace.js";
import description from "./skill-tool.md";
import type { Skill } from "./skills.js";

/** How many of a skill's files the listing names (a skill with a vendored library has thousands). */
const MAX_LISTED = 100;
const MAX_DEPTH = 4;

/**
 * The `skill` tool: a skill's body and the list of its files, then any one of those files,
 * read on demand. It reads inside the named skill's folder only (no `..`, no symlink out of it)
 * and changes nothing, so a skill in the user's home is readable without opening the home.
 */
export function createSkillTool(skills: readonly Skill[]): AnyTool {
  const byName = new Map(skills.map((s) => [s.name, s]));
  return defineTool({
    name: "skill",
    description,
    readOnly: true,
    parameters: z.object({
      name: z.string().describe("the skill's name, as listed under Skills"),
      file: z.string().optional().describe("a file of the skill, relative to its folder (omit to load SKILL.md)"),
    }),
    async execute({ name, file }, ctx) {
      const skill = byName.get(name.trim());
      if (!skill) throw new ToolError(`No skill named "${name}". Skills: ${[...byName.keys()].join(", ") || "none"}.`);
      const folder = new Workspace(skill.dir);
      const target = folder.resolve(file ?? "SKILL.md");
      const data = await ctx.fs.readFile(target).catch(() => {
        throw new ToolError(`The skill ${skill.name} has no file ${file}.`);
      });
      if (data.subarray(0, 8192).includes(0)) return { content: `${file} is a binary file (${data.length} bytes), not shown` };
      const text = data.toString("utf8");
      if (file !== undefined && file !== "SKILL.md") return { content: text, details: { skill: skill.name, file } };
      const files = await listFiles(ctx.fs, folder.root);
      const listing = files.length
        ? `\n\n<skill-files dir="${folder.root}">\n${files.join("\n")}\n</skill-files>\nRead one with skill(name: "${skill.name}", file: "<path>").`
        : "";
      return { content: `<skill name="${skill.name}" dir="${folder.root}">\n${bodyOf(text)}\n</skill>${listing}`, details: { skill: skill.name, files: files.length } };
    },
  });
}

/** SKILL.md without its frontmatter: the model already has the name and description. */
function bodyOf(text: string): string {
  const match = /^\uFEFF?---[ \t]*\r?\n[\s\S]*?\r?\n---[ \t]*(\r?\n|$)/.exec(text);
  return (match ? text.slice(match[0].length) : text).trim();
}

async function listFiles(fs: FileSystem, root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    const entries = await fs.readdir(dir).catch(() => []);
    for (const entry of [...entries].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (out.length >= MAX_LISTED) return;
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      const full = path.join(dir, entry.name);
      const rel = path.relative(root, full).split(path.sep).join("/");
      if (entry.isDirectory() && depth < MAX_DEPTH) await walk(full, depth + 1);
      else if (entry.isFile() && rel !== "SKILL.md") out.push(rel);
    }
  };
  await walk(root, 0);
  if (out.length >= MAX_LISTED) out.push(`… (only the first ${MAX_LISTED} files are listed)`);
  return out;
}
