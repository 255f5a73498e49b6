import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ProcessRunner, RunOptions, RunResult } from "../tools/io.js";
import { localProcessRunner } from "../tools/local-io.js";

/**
 * The OS sandbox for shell commands on Linux, with bubblewrap: the whole file system read-only,
 * the workspace and a private /tmp writable, the user's HOME dot-entries (~/.ssh, ~/.aws,
 * ~/.npmrc, ~/.colleague …) hidden, no network unless allowed, its own PID namespace, and the
 * command dies with colleague. It wraps the local runner, so the shell tool does not change.
 */

export interface SandboxOptions {
  /** Writable: the workspace root (and so everything under it). */
  workspace: string;
  /** Extra writable folders (e.g. a build cache the user chose). */
  writable?: string[];
  /** Give the command the network (default: none at all). */
  network?: boolean;
  /** Whose HOME dot-entries to hide (default: os.homedir()). */
  home?: string;
  /** HOME dot-entries that stay readable, e.g. ".gitconfig". */
  readableHome?: string[];
  /** More paths to hide (e.g. $COLLEAGUE_HOME when it is not under HOME). */
  hidden?: string[];
  /** Path of bwrap (default: found on PATH). */
  bwrap?: string;
}

export class SandboxUnavailable extends Error {
  override name = "SandboxUnavailable";
}

let probed: { path?: string; error?: string } | undefined;

/** Finds bwrap and checks it can create namespaces here; the result is cached per process. */
export function probeBubblewrap(): { path?: string; error?: string } {
  if (probed) return probed;
  if (process.platform !== "linux") {
    probed = { error: `the shell sandbox needs Linux with bubblewrap; this is ${process.platform}` };
    return probed;
  }
  const found = (process.env.PATH ?? "/usr/bin:/bin")
    .split(path.delimiter)
    .map((dir) => path.join(dir, "bwrap"))
    .find((p) => existsSync(p));
  if (!found) {
    probed = { error: "bubblewrap (bwrap) is not installed: install it (apt-get install bubblewrap)" };
    return probed;
  }
  try {
    execFileSync(found, ["--ro-bind", "/", "/", "--unshare-net", "--unshare-pid", "--", "/bin/true"], {
      stdio: "ignore",
      timeout: 5_000,
    });
    probed = { path: found };
  } catch (error) {
    probed = { error: `bubblewrap cannot create a sandbox here (${(error as Error).message.split("\n")[0]})` };
  }
  return probed;
}

/** The message for a sandbox that cannot run, with the explicit way out. */
export function unavailableMessage(reason: string): string {
  return (
    `${reason}. Shell commands run in a sandbox by default. To run them unsandboxed, say so explicitly: ` +
    `--sandbox off, or "sandbox": {"allowUnsandboxed": true} in ~/.colleague/config.json.`
  );
}

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** The bwrap argument list for one command (exported for tests and for `colleague doctor`-style output). */
export function bwrapArgs(command: string, cwd: string, options: SandboxOptions, privateTmp: string): string[] {
  const args = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"];
  // A private /tmp: nothing the host keeps there (sockets, other sessions' files) is visible.
  args.push("--bind", privateTmp, "/tmp");
  args.push(...hideHome(options.home ?? os.homedir(), options.readableHome ?? [], options.workspace));
  for (const hidden of options.hidden ?? []) {
    if (existsSync(hidden) && !options.workspace.startsWith(hidden)) args.push("--tmpfs", hidden);
  }
  for (const dir of [options.workspace, ...(options.writable ?? [])]) args.push("--bind", dir, dir);
  if (!options.network) args.push("--unshare-net");
  args.push("--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent");
  args.push("--setenv", "TMPDIR", "/tmp", "--chdir", cwd);
  args.push("--", existsSync("/bin/bash") ? "/bin/bash" : "/bin/sh", "-c", command);
  return args;
}

/** Covers each HOME dot-entry: folders with an empty tmpfs, files with /dev/null. */
function hideHome(home: string, readable: string[], workspace: string): string[] {
  const args: string[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync(home).filter((name) => name.startsWith("."));
  } catch {
    return args;
  }
  for (const name of entries) {
    if (readable.includes(name)) continue;
    const full = path.join(home, name);
    // Never hide the workspace itself (a workspace inside a dot-folder stays usable).
    if (workspace === full || workspace.startsWith(`${full}${path.sep}`)) continue;
    try {
      const stats = statSync(full);
      if (stats.isDirectory()) args.push("--tmpfs", full);
      else args.push("--ro-bind", "/dev/null", full);
    } catch {
      // a dangling symlink: nothing to read through it
    }
  }
  return args;
}

/**
 * A ProcessRunner that runs every command inside bubblewrap. Throws SandboxUnavailable when
 * bwrap is missing or broken, unless `allowUnsandboxed` (the user's explicit choice).
 */
export function createSandboxedRunner(
  options: SandboxOptions & { allowUnsandboxed?: boolean; inner?: ProcessRunner },
): ProcessRunner {
  const inner = options.inner ?? localProcessRunner;
  const probe =
    options.bwrap === undefined
      ? probeBubblewrap()
      : existsSync(options.bwrap)
        ? { path: options.bwrap }
        : { error: `bubblewrap not found at ${JSON.stringify(options.bwrap)}` };
  if (!probe.path) {
    if (options.allowUnsandboxed) return inner;
    throw new SandboxUnavailable(unavailableMessage(probe.error ?? "bubblewrap is unavailable"));
  }
  const bwrap = probe.path;
  let privateTmp: string | undefined;
  return {
    run(command: string, run: RunOptions): Promise<RunResult> {
      privateTmp ??= mkdtempSync(path.join(os.tmpdir(), "colleague-sandbox-"));
      const line = [bwrap, ...bwrapArgs(command, run.cwd, options, privateTmp)].map(quote).join(" ");
      return inner.run(`exec ${line}`, run);
    },
  };
}
