import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export interface Worktree {
  path: string;
  branch: string;
}

export interface MergeReport {
  ok: boolean;
  summary: string;
  conflicts: string[];
}

const IDENTITY = ["-c", "user.name=colleague", "-c", "user.email=colleague@localhost"];

function git(cwd: string, args: string[]): string {
  return execFileSync("git", [...IDENTITY, "-C", cwd, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function gitError(error: unknown): string {
  const e = error as { stderr?: string; message: string };
  return (e.stderr || e.message).trim().split("\n").slice(0, 3).join(" ");
}

/** A teammate's own checkout of the lead's HEAD, on its own branch, outside the lead's folder. */
export function createWorktree(repo: string, sessionId: string, name: string): Worktree | { error: string } {
  try {
    git(repo, ["rev-parse", "--verify", "HEAD"]);
  } catch {
    return { error: `${repo} is not a git repository with a commit; isolation needs one` };
  }
  const dir = path.join(os.tmpdir(), "colleague-worktrees", sessionId, name);
  const branch = `colleague/${sessionId}/${name}`;
  try {
    mkdirSync(path.dirname(dir), { recursive: true });
    git(repo, ["worktree", "add", "-b", branch, dir, "HEAD"]);
    return { path: dir, branch };
  } catch (error) {
    return { error: `git worktree add failed: ${gitError(error)}` };
  }
}

/**
 * Commits what the teammate left in its worktree and merges its branch into the lead's
 * checkout. A conflict aborts the merge and is reported with the conflicting files: nothing
 * in the lead's checkout is overwritten.
 */
export function mergeWorktree(repo: string, wt: Worktree, message: string): MergeReport {
  try {
    git(wt.path, ["add", "-A"]);
    if (git(wt.path, ["status", "--porcelain"]).trim()) git(wt.path, ["commit", "-q", "-m", message]);
    const ahead = git(repo, ["rev-list", "--count", `HEAD..${wt.branch}`]).trim();
    if (ahead === "0") return finish(repo, wt, { ok: true, summary: "no changes to merge", conflicts: [] });
    const files = git(repo, ["diff", "--name-only", `HEAD...${wt.branch}`]).trim().split("\n").filter(Boolean);
    try {
      git(repo, ["merge", "--no-ff", "--no-edit", "-m", message, wt.branch]);
    } catch (error) {
      const conflicts = git(repo, ["diff", "--name-only", "--diff-filter=U"]).trim().split("\n").filter(Boolean);
      try {
        git(repo, ["merge", "--abort"]);
      } catch {
        // the merge never started (e.g. local changes would be overwritten): nothing to abort
      }
      const why = conflicts.length ? `conflicts in ${conflicts.join(", ")}` : gitError(error);
      return { ok: false, summary: `not merged (${why}); the work stays on branch ${wt.branch}`, conflicts };
    }
    return finish(repo, wt, { ok: true, summary: `merged ${files.length} file(s): ${files.join(", ")}`, conflicts: [] });
  } catch (error) {
    return { ok: false, summary: `merge failed: ${gitError(error)}; the work stays on branch ${wt.branch}`, conflicts: [] };
  }
}

function finish(repo: string, wt: Worktree, report: MergeReport): MergeReport {
  try {
    git(repo, ["worktree", "remove", "--force", wt.path]);
  } catch {
    // a worktree left behind is harmless; `git worktree prune` cleans it
  }
  return report;
}
