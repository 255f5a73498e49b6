import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

const GIT_ENV = {
  GIT_AUTHOR_NAME: "colleague-eval",
  GIT_AUTHOR_EMAIL: "eval@colleague.invalid",
  GIT_COMMITTER_NAME: "colleague-eval",
  GIT_COMMITTER_EMAIL: "eval@colleague.invalid",
  GIT_CONFIG_NOSYSTEM: "1",
};

const git = (cwd: string, args: string[]) =>
  execFileSync("git", args, { cwd, env: { ...process.env, ...GIT_ENV, GIT_CONFIG_GLOBAL: "/dev/null" }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });

/**
 * Records the workspace as the task handed it over, so its changes can be exported as a patch
 * later. A workspace that is already a repository keeps its history; otherwise one is made.
 * Returns false where git is missing (the run then has no patch).
 */
export function recordBaseline(workspace: string): boolean {
  try {
    if (!existsSync(path.join(workspace, ".git"))) git(workspace, ["init", "-q"]);
    git(workspace, ["add", "-A"]);
    git(workspace, ["commit", "-q", "--allow-empty", "--no-verify", "-m", "task baseline"]);
    return true;
  } catch {
    return false;
  }
}

/** The workspace's changes since the baseline, new files included, as a unified diff (undefined without a baseline). */
export function diffSinceBaseline(workspace: string): string | undefined {
  try {
    git(workspace, ["add", "-A"]);
    return git(workspace, ["diff", "--cached", "--binary", "HEAD"]);
  } catch {
    return undefined;
  }
}
