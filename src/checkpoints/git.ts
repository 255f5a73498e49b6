import { execFile } from "node:child_process";
import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { shellQuote } from "../shell-quote.js";
import { CHECKPOINT_IDENT } from "./git-files.js";

/**
 * Runs git against a shadow repository and nothing else: the environment is built from scratch
 * (no GIT_* variable of the caller leaks in, no system or global config, HOME is an empty
 * folder), hooks point at /dev/null, and GIT_DIR / GIT_WORK_TREE name the shadow repository
 * and the workspace, so the user's own `.git` is never read or written.
 */
export interface GitTarget {
  gitDir: string;
  /** Absent only to create the repository. */
  workTree?: string;
  /** Extra `-c key=value` settings (core.excludesFile). */
  config?: Record<string, string>;
}

export class GitError extends Error {
  override name = "GitError";
}

let emptyHome: string | undefined;
function isolatedHome(): string {
  if (!emptyHome) {
    emptyHome = path.join(os.tmpdir(), `colleague-git-home-${process.getuid?.() ?? "user"}`);
    mkdirSync(emptyHome, { recursive: true, mode: 0o700 });
  }
  return emptyHome;
}

function gitEnv(target: GitTarget): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: isolatedHome(),
    LC_ALL: "C",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_DIR: target.gitDir,
    ...(target.workTree ? { GIT_WORK_TREE: target.workTree } : {}),
    GIT_AUTHOR_NAME: CHECKPOINT_IDENT.name,
    GIT_AUTHOR_EMAIL: CHECKPOINT_IDENT.email,
    GIT_COMMITTER_NAME: CHECKPOINT_IDENT.name,
    GIT_COMMITTER_EMAIL: CHECKPOINT_IDENT.email,
    GIT_TERMINAL_PROMPT: "0",
  };
}

const BASE_CONFIG: Record<string, string> = {
  "core.hooksPath": "/dev/null",
  "core.autocrlf": "false",
  "core.fsmonitor": "false",
  "core.quotepath": "false",
  "core.logAllRefUpdates": "false",
  "core.symlinks": "true",
  "gc.auto": "0",
  "advice.addEmbeddedRepo": "false",
};

const configFlags = (target: GitTarget): string[] => Object.entries({ ...BASE_CONFIG, ...target.config }).flatMap(([k, v]) => ["-c", `${k}=${v}`]);

export function runGit(target: GitTarget, args: string[], input?: string): Promise<string> {
  return run(target, "git", [...configFlags(target), ...args], args[0]!, input);
}


/**
 * `git <first>`, its outcome ignored, then `git <then>`, whose output is the result: both from
 * one shell, so this process forks once instead of twice (a spawn holds its main thread ~5–10
 * ms, more as the process grows).
 */
export function runGitAfter(target: GitTarget, first: string[], then: string[]): Promise<string> {
  const line = (args: string[]) => ["git", ...configFlags(target), ...args].map(shellQuote).join(" ");
  return run(target, "/bin/sh", ["-c", `${line(first)} >/dev/null 2>&1\nexec ${line(then)}`], then[0]!);
}

function run(target: GitTarget, file: string, args: string[], name: string, input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { env: gitEnv(target), cwd: target.workTree ?? target.gitDir, maxBuffer: 256 * 1024 * 1024, encoding: "utf8" }, (error, stdout, stderr) => {
      if (error) reject(new GitError(`git ${name} failed: ${(stderr || error.message).trim().split("\n")[0]}`));
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

let available: boolean | undefined;
/**
 * Whether a git binary is here (checked once per process): an executable `git` on PATH. Looked
 * up, not run: `git --version` cost every session start a process spawn (~20 ms).
 */
export function gitAvailable(): boolean {
  if (available === undefined) {
    const dirs = (process.env.PATH ?? "/usr/bin:/bin").split(path.delimiter).filter(Boolean);
    available = dirs.some((dir) => {
      try {
        accessSync(path.join(dir, "git"), constants.X_OK);
        return statSync(path.join(dir, "git")).isFile();
      } catch {
        return false;
      }
    });
  }
  return available;
}
