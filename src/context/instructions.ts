import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/** Instruction files, as Codex (AGENTS.md) and Claude Code (CLAUDE.md) users write them. */
const NAMES = ["AGENTS.md", "CLAUDE.md"] as const;
export const INSTRUCTIONS_CAP = 32 * 1024;

export interface InstructionFile {
  path: string;
  text: string;
}

/** The repository root: the nearest folder upwards holding .git, else `cwd` itself. */
export function findProjectRoot(cwd: string): string {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, ".git"))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(cwd);
  }
}

/**
 * Instruction files from the user's home folder, then from the project root down to `cwd`:
 * at most one per folder (AGENTS.md before CLAUDE.md), root first so deeper files win by
 * coming later. The total is capped; the cut is said, not hidden.
 */
export function loadInstructions(cwd: string, userDir?: string): InstructionFile[] {
  const root = findProjectRoot(cwd);
  const dirs: string[] = [];
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    dirs.unshift(dir);
    if (dir === root || path.dirname(dir) === dir) break;
  }
  if (userDir) dirs.unshift(userDir);
  const files: InstructionFile[] = [];
  let budget = INSTRUCTIONS_CAP;
  for (const dir of dirs) {
    const name = NAMES.find((n) => existsSync(path.join(dir, n)));
    if (!name || budget <= 0) continue;
    const file = path.join(dir, name);
    let text = readFileSync(file, "utf8").trim();
    if (!text) continue;
    if (Buffer.byteLength(text) > budget) {
      text = `${Buffer.from(text).subarray(0, budget).toString("utf8")}\n[… cut: instruction files are capped at ${INSTRUCTIONS_CAP} bytes]`;
    }
    budget -= Buffer.byteLength(text);
    files.push({ path: file, text });
  }
  return files;
}

/** The instructions as a system-prompt section. */
export function formatInstructions(files: InstructionFile[], root: string): string {
  if (!files.length) return "";
  const sections = files.map((f) => `<instructions path="${path.relative(root, f.path) || f.path}">\n${f.text}\n</instructions>`);
  return `# Project instructions\nFollow these; later (deeper) files take precedence.\n${sections.join("\n")}`;
}
