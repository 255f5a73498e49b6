import { statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { UsageError } from "./errors.js";

/** What is at `p`: a folder, something else, or nothing (a path through a file is nothing). */
function kindOf(p: string): "folder" | "other" | "missing" {
  try {
    return statSync(p).isDirectory() ? "folder" : "other";
  } catch {
    return "missing";
  }
}

/** A folder the person named (`--root`, `--cwd`): one line when it is missing or is a file. */
export function requireFolder(dir: string, flag: string): string {
  const resolved = path.resolve(dir);
  const kind = kindOf(resolved);
  if (kind === "missing") throw new UsageError(`${flag} ${resolved} does not exist`);
  if (kind === "other") throw new UsageError(`${flag} ${resolved} is a file, not a folder`);
  return resolved;
}

/**
 * The colleague home (sessions, config, audit log) must be a folder, or a path colleague can
 * create one at: a file there, or a file on the way to it, is one line at start, before any
 * command stores anything, instead of a stack trace from deep inside the store.
 */
export function checkHome(env: NodeJS.ProcessEnv = process.env): void {
  const home = env.COLLEAGUE_HOME ? path.resolve(env.COLLEAGUE_HOME) : path.join(os.homedir(), ".colleague");
  const named = env.COLLEAGUE_HOME ? `COLLEAGUE_HOME (${home})` : `the colleague home ${home}`;
  for (let at = home; ; at = path.dirname(at)) {
    const kind = kindOf(at);
    if (kind === "folder") return;
    if (kind === "other") {
      throw new UsageError(at === home ? `${named} is a file; it must be a folder` : `${named} cannot be made: ${at} is a file`);
    }
    if (path.dirname(at) === at) return;
  }
}
