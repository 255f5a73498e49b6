import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ProcessRunner, RunOptions, RunResult } from "../tools/io.js";
import { localProcessRunner } from "../tools/local-io.js";
import { type HostProxy, PROXY_PORT, startHostProxy, writeBridge } from "./host-proxy.js";

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
  /** Without `network`: hosts reachable through a filtering HTTP proxy (e.g. "registry.npmjs.org", "*.github.com"). */
  allowedHosts?: string[];
  /** Hears each proxied host and whether it was allowed (for the audit log). */
  onHostRequest?: (host: string, allowed: boolean) => void;
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
  const marker = probeMarker(found);
  if (marker && existsSync(marker)) {
    probed = { path: found };
    return probed;
  }
  try {
    execFileSync(found, ["--ro-bind", "/", "/", "--unshare-net", "--unshare-pid", "--", "/bin/true"], {
      stdio: "ignore",
      timeout: 5_000,
    });
    probed = { path: found };
    if (marker) writeFileSync(marker, "");
  } catch (error) {
    probed = { error: `bubblewrap cannot create a sandbox here (${(error as Error).message.split("\n")[0]})` };
  }
  return probed;
}

/**
 * A success marker for this bwrap binary, user and boot: spawning the probe costs ~45 ms of every
 * start-up, and whether namespaces work only changes with the kernel, its settings or bwrap.
 * A forged marker skips only the probe: commands still run through bwrap and fail loudly.
 */
function probeMarker(bwrap: string): string | undefined {
  try {
    const boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    const stamp = statSync(bwrap).mtimeMs;
    return path.join(os.tmpdir(), `colleague-bwrap-ok-${process.getuid?.() ?? "u"}-${boot}-${stamp}`);
  } catch {
    return undefined;
  }
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
export function bwrapArgs(command: string, cwd: string, options: SandboxOptions, privateTmp: string, proxied = false): string[] {
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
  let script = command;
  if (proxied) {
    const proxy = `http://127.0.0.1:${PROXY_PORT}`;
    for (const name of ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"]) args.push("--setenv", name, proxy);
    args.push("--setenv", "NO_PROXY", "localhost,127.0.0.1", "--setenv", "no_proxy", "localhost,127.0.0.1");
    // Start the bridge to the proxy's socket and wait until it listens, then run the command.
    script =
      `${quote(process.execPath)} /tmp/.colleague-bridge.cjs /tmp/.colleague-proxy.sock ${PROXY_PORT} >/dev/null 2>&1 &\n` +
      `for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/${PROXY_PORT}) 2>/dev/null && break; sleep 0.02; done\n${command}`;
  }
  args.push("--", existsSync("/bin/bash") ? "/bin/bash" : "/bin/sh", "-c", script);
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
  const hidden: string[] = [];
  for (const name of entries) {
    if (readable.includes(name)) continue;
    const full = path.join(home, name);
    // Never hide the workspace itself (a workspace inside a dot-folder stays usable).
    if (workspace === full || workspace.startsWith(`${full}${path.sep}`)) continue;
    try {
      const stats = statSync(full);
      if (stats.isDirectory()) {
        args.push("--tmpfs", full);
        hidden.push(full);
      } else args.push("--ro-bind", "/dev/null", full);
    } catch {
      // a dangling symlink: nothing to read through it
    }
  }
  // Toolchains installed under HOME (~/.nvm, ~/.cargo/bin, ~/.local/bin) stay usable: their
  // PATH folders and node's own prefix come back read-only, and nothing else of those folders.
  const toolDirs = [...(process.env.PATH ?? "").split(path.delimiter), path.dirname(path.dirname(process.execPath))];
  for (const dir of new Set(toolDirs)) {
    if (!dir || !hidden.some((h) => dir.startsWith(`${h}${path.sep}`)) || !existsSync(dir)) continue;
    args.push("--ro-bind", dir, dir);
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
  const proxied = !options.network && (options.allowedHosts?.length ?? 0) > 0;
  let privateTmp: string | undefined;
  let proxy: Promise<HostProxy> | undefined;
  return {
    async run(command: string, run: RunOptions): Promise<RunResult> {
      privateTmp ??= mkdtempSync(path.join(os.tmpdir(), "colleague-sandbox-"));
      if (proxied) {
        const dir = privateTmp;
        proxy ??= startHostProxy(path.join(dir, ".colleague-proxy.sock"), options.allowedHosts ?? [], options.onHostRequest).then(
          (started) => {
            writeBridge(dir);
            return started;
          },
        );
        await proxy;
      }
      const line = [bwrap, ...bwrapArgs(command, run.cwd, options, privateTmp, proxied)].map(quote).join(" ");
      return inner.run(`exec ${line}`, run);
    },
  };
}
