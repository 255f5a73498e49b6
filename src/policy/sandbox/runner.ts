import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { shellQuote } from "../../shell-quote.js";
import type { ProcessRunner, RunOptions, RunResult } from "../../tools/io.js";
import { defaultEnv, localProcessRunner } from "../../tools/local-io.js";
import { ripgrepPath } from "../../tools/ripgrep.js";
import { type HostProxy, PROXY_PORT, startHostProxy, writeBridge } from "../host-proxy.js";
import { scrubEnv } from "./env.js";
import { type MountPlan, mountPlan } from "./home.js";
import type { SandboxOptions } from "./options.js";
import { findOnPath } from "./probe.js";
import { seccompArch, seccompProgram } from "./seccomp.js";
import type { PersistentSandbox } from "./session-sandbox.js";

/**
 * What both backends share: a private /tmp per runner, the filtering proxy for allowedHosts, the
 * mount plan worked out afresh for each command (HOME changes while a session runs), an
 * environment without secrets, the seccomp filter, and the lifeline check. A backend only turns
 * that into its own command line.
 *
 * The runner's host folder (`colleague-sandbox-<pid>-…` under the system temp folder) holds the
 * private /tmp and, beside it where commands cannot reach it, the seccomp program. It goes when
 * the runner is closed (the session ends) or the process exits; folders of colleague processes
 * that were killed are swept by the next runner.
 */

export interface SandboxCommand {
  /** The shell script to run inside (the command, behind the lifeline check and the proxy bridge when proxied). */
  script: string;
  cwd: string;
  plan: MountPlan;
  /** A host folder, private to this runner, mounted on /tmp inside. */
  privateTmp: string;
  network: boolean;
  /** The seccomp program (a file outside the private /tmp), when this architecture has one. */
  seccomp?: { file: string; bytes: Buffer };
}

/** The file descriptor that carries the runner's lifeline into the sandbox. */
export const LIFELINE_FD = 3;

/**
 * First thing inside: if colleague died before the sandbox took hold (the lifeline reads as
 * end-of-file), run nothing; then a watcher blocks on the lifeline and kills everything in the
 * sandbox's PID namespace when it ends, so the command dies with colleague even where the
 * backend's own parent-death signal was set too late (bwrap sets it after its clone, and a
 * colleague killed in between leaves it tied to init). The command itself never holds the lifeline.
 */
const LIFELINE_CHECK =
  `if { true <&${LIFELINE_FD}; } 2>/dev/null; then ` +
  `read -t 0 -u ${LIFELINE_FD} _ && exit 125; ` +
  `{ read -u ${LIFELINE_FD} _; kill -KILL -1; } >/dev/null 2>&1 & ` +
  `exec ${LIFELINE_FD}<&-; fi\n`;

const STATE_PREFIX = "colleague-sandbox-";

/** Turns one command into the command line (already quoted) that runs it in the sandbox, and what to clean up after it. */
export type BuildLine = (command: SandboxCommand) => { line: string; after?: () => void };

/**
 * With `persistent`, commands run in a long-lived sandbox of the same shape (session-sandbox.ts)
 * instead of a new one each.
 */
export function sandboxRunner(options: SandboxOptions, build: BuildLine, inner: ProcessRunner = localProcessRunner, persistent?: PersistentSandbox): ProcessRunner {
  const proxied = !options.network && (options.allowedHosts?.length ?? 0) > 0;
  let state: RunnerState | undefined;
  let proxy: Promise<HostProxy> | undefined;
  const close = () => {
    persistent?.close();
    if (proxy) void proxy.then((p) => p.close()).catch(() => {});
    proxy = undefined;
    if (state) {
      rmSync(state.dir, { recursive: true, force: true });
      liveStateDirs.delete(state.dir);
    }
    state = undefined;
  };
  /** The command as the backend runs it, with this moment's mount plan. */
  const sandboxed = async (script: string, cwd: string): Promise<SandboxCommand> => {
    state ??= openState();
    const { privateTmp, seccomp, swept } = state;
    const [dirs] = await Promise.all([toolDirs(), swept]);
    const plan = mountPlan({
      workspace: options.workspace,
      writable: options.writable ?? [],
      home: options.home ?? os.homedir(),
      readableHome: options.readableHome ?? [],
      hidden: options.hidden ?? [],
      toolDirs: dirs,
    });
    return { script: `${LIFELINE_CHECK}${script}`, cwd, plan, privateTmp, network: options.network === true, ...(seccomp ? { seccomp } : {}) };
  };
  let warmed = false;
  return {
    close,
    // A session sandbox takes a bwrap and a Node start (~100 ms) before its first command: begun
    // when the session starts using tools, it is usually ready by the time a command needs it.
    warm() {
      if (!persistent || warmed) return;
      warmed = true;
      void sandboxed("", "/")
        .then((command) => {
          // Closed meanwhile: nothing is left behind.
          if (state?.privateTmp === command.privateTmp) persistent.warm(command);
        })
        .catch(() => {});
    },
    async run(command: string, run: RunOptions): Promise<RunResult> {
      state ??= openState();
      const { privateTmp } = state;
      const env: NodeJS.ProcessEnv = { ...scrubEnv(run.env ?? defaultEnv(), options.passEnv), TMPDIR: "/tmp" };
      let script = command;
      if (proxied) {
        const dir = privateTmp;
        proxy ??= startHostProxy(path.join(dir, ".colleague-proxy.sock"), options.allowedHosts ?? [], options.onHostRequest).then((started) => {
          writeBridge(dir);
          return started;
        });
        await proxy;
        const url = `http://127.0.0.1:${PROXY_PORT}`;
        Object.assign(env, { HTTP_PROXY: url, HTTPS_PROXY: url, http_proxy: url, https_proxy: url, NO_PROXY: "localhost,127.0.0.1", no_proxy: "localhost,127.0.0.1" });
        // Start the bridge to the proxy's socket and wait until it listens, then run the command.
        script =
          `${shellQuote(process.execPath)} /tmp/.colleague-bridge.cjs /tmp/.colleague-proxy.sock ${PROXY_PORT} >/dev/null 2>&1 &\n` +
          `for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/${PROXY_PORT}) 2>/dev/null && break; sleep 0.02; done\n${command}`;
      }
      const sandboxCommand = await sandboxed(script, run.cwd);
      if (persistent) return persistent.run(sandboxCommand, env, run);
      const { line, after } = build(sandboxCommand);
      try {
        return await inner.run(`exec ${line}`, { ...run, env, lifelineFd: LIFELINE_FD });
      } finally {
        after?.();
      }
    },
  };
}

/** Runner folders of this process, removed at exit if their runner was never closed. */
const liveStateDirs = new Set<string>();
let exitHook = false;

interface RunnerState {
  dir: string;
  privateTmp: string;
  seccomp?: { file: string; bytes: Buffer };
  /** The sweep of dead runners' folders begun with this state; a command waits for it. */
  swept: Promise<void>;
}

function openState(): RunnerState {
  const swept = sweepDeadStateDirs();
  const dir = mkdtempSync(path.join(os.tmpdir(), `${STATE_PREFIX}${process.pid}-`));
  liveStateDirs.add(dir);
  if (!exitHook) {
    exitHook = true;
    process.once("exit", () => {
      for (const d of liveStateDirs) rmSync(d, { recursive: true, force: true });
    });
  }
  const privateTmp = path.join(dir, "tmp");
  mkdirSync(privateTmp);
  const arch = seccompArch();
  if (!arch) return { dir, privateTmp, swept };
  const bytes = seccompProgram(arch);
  const file = path.join(dir, "seccomp.bpf");
  writeFileSync(file, bytes, { mode: 0o400 });
  return { dir, privateTmp, seccomp: { file, bytes }, swept };
}

let sweeping: Promise<void> | undefined;
let sweepQueued: Promise<void> | undefined;

/**
 * Removes runner folders whose colleague process is gone (killed before it could clean up). Off
 * the main thread: the temp folder can hold tens of thousands of entries (15–28 ms to read here).
 * One sweep at a time: a server starting fifty sessions would otherwise hold fifty listings of
 * the temp folder at once. A call during a sweep gets the next one, which starts after it, so it
 * still sees every folder that was there when it was called.
 */
function sweepDeadStateDirs(): Promise<void> {
  if (!sweeping) {
    sweeping = sweepOnce().finally(() => {
      sweeping = undefined;
    });
    return sweeping;
  }
  sweepQueued ??= sweeping.then(() => {
    sweepQueued = undefined;
    return sweepDeadStateDirs();
  });
  return sweepQueued;
}

async function sweepOnce(): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(os.tmpdir())).filter((n) => n.startsWith(STATE_PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^colleague-sandbox-(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid || alive(pid)) continue;
    try {
      await rm(path.join(os.tmpdir(), name), { recursive: true, force: true });
    } catch {
      // another user's folder: theirs to sweep
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, someone else's
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The folder of the ripgrep binary grep and glob run, so the sandbox can bind it back. */
async function toolDirs(): Promise<string[]> {
  const rg = await ripgrepPath();
  const full = path.isAbsolute(rg) ? rg : findOnPath(rg);
  return full ? [path.dirname(full)] : [];
}
