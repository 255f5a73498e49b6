import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * `/diff`: what changed in the workspace since the session started. At the start the whole
 * working tree (tracked and untracked, .gitignore respected) is written as a git tree object
 * through a throwaway index, so neither the person's index nor their stash is touched; /diff
 * compares that tree with one written the same way now.
 */
export interface DiffResult {
  ok: boolean;
  /** `git diff --stat` then the patch, or why there is none. */
  text: string;
}

function git(cwd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile("git", args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, out: code === 0 ? String(stdout) : String(stderr || stdout || error?.message) });
    });
  });
}

/** The working tree as a tree object id; undefined outside a git repository. */
export async function snapshotTree(cwd: string): Promise<string | undefined> {
  const inside = await git(cwd, ["rev-parse", "--is-inside-work-tree"]);
  if (inside.code !== 0) return undefined;
  const dir = mkdtempSync(path.join(tmpdir(), "colleague-diff-"));
  try {
    const index = path.join(dir, "index");
    // Starting from a copy of the real index, git re-hashes only the files that changed.
    const real = await git(cwd, ["rev-parse", "--path-format=absolute", "--git-path", "index"]);
    if (real.code === 0 && existsSync(real.out.trim())) copyFileSync(real.out.trim(), index);
    const env = { ...process.env, GIT_INDEX_FILE: index };
    const add = await git(cwd, ["add", "-A", "--", "."], env);
    if (add.code !== 0) return undefined;
    const tree = await git(cwd, ["write-tree"], env);
    return tree.code === 0 ? tree.out.trim() : undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function diffSince(cwd: string, start: string | undefined): Promise<DiffResult> {
  if (!start) return { ok: false, text: "no snapshot of the workspace: /diff needs a git repository (and a session started here)" };
  const now = await snapshotTree(cwd);
  if (!now) return { ok: false, text: "could not read the workspace with git" };
  if (now === start) return { ok: true, text: "no changes since the session started" };
  const stat = await git(cwd, ["diff", "--stat", start, now]);
  const patch = await git(cwd, ["diff", "--no-color", start, now]);
  return { ok: stat.code === 0 && patch.code === 0, text: `${stat.out.trimEnd()}\n\n${patch.out.trimEnd()}` };
}
