import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { realpathOfNearestExisting } from "../tools/workspace.js";

/**
 * The files that steer colleague (or run code at the user's next command) rather than being
 * project content: config and settings folders, the colleague home, the audit log, git hooks and
 * git config. An agent that could write them could loosen its own rules for the next run, so the
 * file tools treat every write there as needing the person's approval, in every mode.
 */
export interface PolicyFileOptions {
  /** The workspace the agent's file tools write in. */
  workspace: string;
  /** The colleague home ($COLLEAGUE_HOME or ~/.colleague): user config, trust list, store. */
  home?: string;
  /** The audit log, wherever the user's config points it. */
  auditLog?: string;
}

/** Decides, for an absolute path, whether writing it changes colleague's policy, and says why. */
export interface PolicyFiles {
  /** Why writing `absolute` changes colleague's policy, or undefined for ordinary content. */
  reasonFor(absolute: string): string | undefined;
}

// Case-insensitive file systems would let `COLLEAGUE.JSON` name the same file.
const FOLD = process.platform === "darwin" || process.platform === "win32";
const norm = (p: string) => (FOLD ? p.toLowerCase() : p);

export function policyFiles(options: PolicyFileOptions): PolicyFiles {
  const home = options.home ? realOrSelf(options.home) : undefined;
  const audit = options.auditLog ? realOrSelf(options.auditLog) : undefined;
  const root = realOrSelf(options.workspace);
  const git = gitLocations(options.workspace);

  const check = (p: string): string | undefined => {
    if (home && within(p, home)) return `it is in the colleague home (${home})`;
    if (audit && (same(p, audit) || (same(path.dirname(p), path.dirname(audit)) && norm(path.basename(p)).startsWith(`${norm(path.basename(audit))}.`)))) {
      return "it is colleague's audit log";
    }
    // Names count inside the workspace only: a workspace may itself sit below a `.claude` folder.
    const segments = within(p, root) ? norm(path.relative(root, p)).split(path.sep).filter(Boolean) : [];
    const base = segments.at(-1) ?? "";
    if (base === "colleague.json") return "it is a colleague config file";
    if (base === ".mcp.json") return "it lists MCP servers, which run as programs";
    if (segments.includes(".colleague")) return "it is in a .colleague settings folder";
    if (segments.includes(".claude")) return "it is in a .claude folder (hooks, agents, commands, settings)";
    const gitAt = segments.indexOf(".git");
    if (gitAt >= 0) {
      const below = segments.slice(gitAt + 1);
      if (below.includes("hooks")) return "it is a git hook, which runs at your next git command";
      if (base === "config" || base === "config.worktree") return "it is git config, which can name programs git runs";
    }
    for (const dir of git.hookDirs) if (within(p, dir)) return "it is a git hook, which runs at your next git command";
    for (const file of git.configFiles) if (same(p, file)) return "it is git config, which can name programs git runs";
    return undefined;
  };

  return {
    reasonFor(absolute) {
      const lexical = path.resolve(options.workspace, absolute);
      return check(lexical) ?? check(realpathOfNearestExisting(lexical));
    },
  };
}

function within(p: string, dir: string): boolean {
  const rel = path.relative(norm(dir), norm(p));
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

const same = (a: string, b: string) => norm(path.resolve(a)) === norm(path.resolve(b));

function realOrSelf(p: string): string {
  return realpathOfNearestExisting(path.resolve(p));
}


/**
 * Where the workspace's repository keeps hooks and config when they are not under a `.git`
 * folder the path itself names: a worktree's `.git` file points at its git dir (config in the
 * common dir), and `core.hooksPath` may move the hooks anywhere (e.g. `.husky`).
 */
function gitLocations(workspace: string): { hookDirs: string[]; configFiles: string[] } {
  const hookDirs: string[] = [];
  const configFiles: string[] = [];
  let top: string | undefined;
  for (let dir = path.resolve(workspace); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, ".git"))) {
      top = dir;
      break;
    }
    if (path.dirname(dir) === dir) break;
  }
  if (!top) return { hookDirs, configFiles };
  const dotGit = path.join(top, ".git");
  let gitDir = dotGit;
  try {
    if (statSync(dotGit).isFile()) {
      const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, "utf8"))?.[1]?.trim();
      if (pointer) gitDir = path.resolve(top, pointer);
    }
  } catch {
    return { hookDirs, configFiles };
  }
  let commonDir = gitDir;
  try {
    const common = readFileSync(path.join(gitDir, "commondir"), "utf8").trim();
    if (common) commonDir = path.resolve(gitDir, common);
  } catch {
    // Not a linked worktree: the git dir is the common dir.
  }
  for (const dir of new Set([gitDir, commonDir])) {
    hookDirs.push(realOrSelf(path.join(dir, "hooks")));
    configFiles.push(realOrSelf(path.join(dir, "config")), realOrSelf(path.join(dir, "config.worktree")));
  }
  const hooksPath = configuredHooksPath(path.join(commonDir, "config"));
  if (hooksPath) hookDirs.push(realOrSelf(path.resolve(top, hooksPath.replace(/^~(?=\/)/, process.env.HOME ?? "~"))));
  return { hookDirs, configFiles };
}

/** `core.hooksPath` from a git config file (a plain reading: `[core]` section, `hooksPath = …`). */
function configuredHooksPath(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  let inCore = false;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    const section = /^\[([^\]\s"]+)/.exec(line);
    if (section) inCore = section[1]!.toLowerCase() === "core";
    else if (inCore) {
      const m = /^hookspath\s*=\s*(.+)$/i.exec(line);
      if (m) return m[1]!.trim().replace(/^"(.*)"$/, "$1");
    }
  }
  return undefined;
}
