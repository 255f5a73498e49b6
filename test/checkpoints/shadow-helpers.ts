import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ShadowRepo } from "../../src/checkpoints/shadow-repo.js";
import { RACY_MS } from "../../src/checkpoints/workspace-stat.js";

/** A fresh colleague home. */
export const home = () => mkdtempSync(path.join(os.tmpdir(), "colleague-home-"));

/** Past the window in which a file's timestamp cannot prove it unchanged. */
export const settle = () => new Promise((r) => setTimeout(r, RACY_MS * 3));

/** git on a shadow repository and its workspace, with no user or system config. */
export const shadowGit = (repo: ShadowRepo, args: string[], env: NodeJS.ProcessEnv = {}) =>
  execFileSync("git", ["-c", "core.autocrlf=false", "--git-dir", repo.gitDir, "--work-tree", repo.workspace, ...args], {
    cwd: repo.workspace,
    encoding: "utf8",
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", ...env },
  }).trim();

/** What git itself makes of the workspace now, staged into an index of its own. */
export function gitsTree(repo: ShadowRepo): string {
  const index = path.join(mkdtempSync(path.join(os.tmpdir(), "colleague-index-")), "index");
  shadowGit(repo, ["add", "-A", "."], { GIT_INDEX_FILE: index });
  return shadowGit(repo, ["write-tree"], { GIT_INDEX_FILE: index });
}

/** Runs `work` with no git on PATH (any git process it starts fails); PATH is put back after. */
export async function withoutGit<T>(work: () => Promise<T>): Promise<T> {
  const realPath = process.env.PATH;
  process.env.PATH = "/nonexistent-colleague-test";
  try {
    return await work();
  } finally {
    process.env.PATH = realPath;
  }
}
