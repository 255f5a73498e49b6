import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import type { Socket } from "node:net";
import { StringDecoder } from "node:string_decoder";
import { monotonicMs } from "../../builtins.js";
import type { RunOptions, RunResult } from "../../tools/io.js";
import { HeadTailBuffer } from "../../tools/local-io.js";
import { bwrapArgs, SECCOMP_FD } from "./bubblewrap.js";
import type { SandboxCommand } from "./runner.js";
import { FrameReader, runFrame, type SupervisorKind, type SupervisorMessage, signalFrame, supervisorArgv } from "./supervisor.js";

/**
 * One sandbox per session (and per command running at the same time) instead of one per
 * command: building the namespaces and mounts costs ~40–70 ms each time with bubblewrap and
 * ~150 ms with unshare's script, a fork inside a running sandbox a few. The sandbox is the same
 * one the backend builds for a command, with a supervisor (supervisor.ts) where the command
 * would be: it runs each command in its own process group with its own cwd and environment,
 * streams its output back, and kills everything the command left when it ends.
 *
 * The mount plan is still worked out for every command: when it differs from the running
 * sandbox's (a new dot-entry in HOME, a new git folder) that sandbox is retired and a fresh one
 * built, so a command never sees more than a fresh sandbox would show it. The sandbox dies with
 * colleague (the backend's parent-death signal, and end-of-file on the supervisor's stdin), and
 * its process group is what `onProcessGroup` records, so a later resume kills it as well.
 */

/** Time between SIGTERM and SIGKILL, as for unsandboxed commands. */
const KILL_GRACE_MS = 2_000;
/** How much of a sandbox's own stderr (the backend's or the supervisor's complaints) is kept for the message. */
const STDERR_KEEP = 2_000;

export interface PersistentSandbox {
  run(command: SandboxCommand, env: NodeJS.ProcessEnv, run: RunOptions): Promise<RunResult>;
  /** Starts a sandbox for `command`'s plan, left idle for the next run, unless one is there already. */
  warm(command: SandboxCommand): void;
  close(): void;
}

/** How a backend starts its long-lived sandbox. */
export interface SandboxLauncher {
  /** What the sandbox's shape depends on: a command with another key gets another sandbox. */
  key(command: SandboxCommand): string;
  /** The process that builds the sandbox for `command`'s plan and runs the supervisor in it. */
  launch(command: SandboxCommand): Launch;
}

export interface Launch {
  argv: string[];
  /** A seccomp program the backend reads from SECCOMP_FD. */
  seccompFile?: string;
  /** Run once the sandbox has ended. */
  cleanup?: () => void;
}

/** The persistent executor over a backend's launcher. */
export function persistentSandbox(launcher: SandboxLauncher): PersistentSandbox {
  const idle: Supervisor[] = [];
  const live = new Set<Supervisor>();
  const start = (command: SandboxCommand, key: string) => {
    const supervisor = new Supervisor(launcher.launch(command), key);
    live.add(supervisor);
    return supervisor;
  };
  return {
    async run(command, env, run) {
      const key = launcher.key(command);
      // A sandbox built for another plan is retired rather than reused.
      for (const stale of idle.filter((s) => s.key !== key || s.dead)) {
        idle.splice(idle.indexOf(stale), 1);
        stale.close();
        live.delete(stale);
      }
      const supervisor = idle.pop() ?? start(command, key);
      try {
        return await supervisor.run(command, env, run);
      } finally {
        if (supervisor.dead) live.delete(supervisor);
        else idle.push(supervisor);
      }
    },
    warm(command) {
      const key = launcher.key(command);
      if ([...live].some((s) => s.key === key && !s.dead)) return;
      idle.push(start(command, key));
    },
    close() {
      for (const supervisor of live) supervisor.close();
      live.clear();
      idle.length = 0;
    },
  };
}

/** bwrap's argument list for the command's sandbox, with the supervisor in place of the command. */
export function bubblewrapLauncher(bwrap: string, program: SupervisorKind): SandboxLauncher {
  const argv = (command: SandboxCommand) => {
    // The sandbox itself starts in "/": each command gets its own cwd from the supervisor.
    const args = bwrapArgs({ ...command, cwd: "/", script: "" });
    const tail = args.lastIndexOf("--");
    return [bwrap, ...args.slice(0, tail), "--", ...supervisorArgv(program)];
  };
  return {
    key: (command) => JSON.stringify(argv(command)),
    launch: (command) => ({ argv: argv(command), ...(command.seccomp ? { seccompFile: command.seccomp.file } : {}) }),
  };
}

type Listener = (message: SupervisorMessage) => void;

class Supervisor {
  readonly key: string;
  dead = false;
  private readonly child: ChildProcess;
  private readonly ready: Promise<void>;
  private listener: Listener | undefined;
  private onDeath: ((reason: string) => void) | undefined;
  private stderr = "";

  constructor(launch: Launch, key: string) {
    this.key = key;
    const { argv, seccompFile, cleanup } = launch;
    const stdio: ("pipe" | "ignore" | number)[] = ["pipe", "pipe", "pipe"];
    let seccompFd: number | undefined;
    if (seccompFile) {
      seccompFd = openSync(seccompFile, "r");
      while (stdio.length < SECCOMP_FD) stdio.push("ignore");
      stdio[SECCOMP_FD] = seccompFd;
    }
    try {
      this.child = spawn(argv[0]!, argv.slice(1), { stdio, detached: true, env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } });
    } finally {
      if (seccompFd !== undefined) closeSync(seccompFd);
    }
    this.child.stdin?.on("error", () => {
      // the sandbox is gone; its exit is reported below
    });
    this.child.stderr?.on("data", (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString("utf8")).slice(-STDERR_KEEP);
    });
    const frames = new FrameReader((message) => this.listener?.(message));
    this.child.stdout?.on("data", (chunk: Buffer) => frames.push(chunk));
    this.ready = new Promise((resolve, reject) => {
      this.listener = (message) => {
        if (message.op === "ready") resolve();
      };
      const died = (why: string) => {
        cleanup?.();
        if (this.dead) return;
        this.dead = true;
        const detail = this.stderr.trim().split("\n").slice(-3).join("; ");
        const reason = `the session sandbox ended (${why})${detail ? `: ${detail}` : ""}`;
        reject(new Error(reason));
        this.onDeath?.(reason);
      };
      this.child.on("error", (error) => died(error.message));
      this.child.on("close", (code, signal) => died(signal ? `signal ${signal}` : `exit ${code}`));
    });
    this.ready.catch(() => {
      // reported by the run that waits for it
    });
    this.idle();
  }

  async run(command: SandboxCommand, env: NodeJS.ProcessEnv, run: RunOptions): Promise<RunResult> {
    const started = monotonicMs();
    const output = new HeadTailBuffer(run.maxOutputBytes);
    const result = (exitCode: number | null, signal: string | null, text: string, timedOut = false, aborted = false): RunResult => ({
      exitCode,
      signal,
      output: text,
      droppedBytes: output.dropped,
      timedOut,
      aborted,
      durationMs: Math.round(monotonicMs() - started),
    });
    this.busy();
    try {
      await this.ready;
    } catch (error) {
      this.idle();
      return result(null, null, `failed to start: ${(error as Error).message}`);
    }
    if (this.child.pid !== undefined) {
      try {
        run.onProcessGroup?.(this.child.pid);
      } catch (error) {
        this.idle();
        return result(null, null, `not started: its process group could not be recorded (${(error as Error).message})`);
      }
    }
    const frame = runFrame(command.script, command.cwd, env);
    if (typeof frame === "string") {
      this.idle();
      return result(null, null, `failed to start: ${frame}`);
    }
    return new Promise<RunResult>((resolve) => {
      let timedOut = false;
      let aborted = false;
      let grace: NodeJS.Timeout | undefined;
      const decoders = { 1: new StringDecoder("utf8"), 2: new StringDecoder("utf8") };
      const signalGroup = () => {
        this.send(signalFrame("SIGTERM"));
        grace = setTimeout(() => this.send(signalFrame("SIGKILL")), KILL_GRACE_MS);
        grace.unref();
      };
      const timer = setTimeout(() => {
        timedOut = true;
        signalGroup();
      }, run.timeoutMs);
      const onAbort = () => {
        aborted = true;
        signalGroup();
      };
      const settle = (value: RunResult) => {
        clearTimeout(timer);
        if (grace) clearTimeout(grace);
        run.signal?.removeEventListener("abort", onAbort);
        this.listener = undefined;
        this.onDeath = undefined;
        this.idle();
        resolve(value);
      };
      this.listener = (message) => {
        if (message.op === "out") {
          const chunk = message.data;
          output.push(chunk);
          if (run.onOutput) {
            const text = decoders[message.fd].write(chunk);
            if (text) run.onOutput(text);
          }
        } else if (message.op === "exit") {
          const text = message.failure ? `${output.text()}${message.failure}` : output.text();
          settle(result(message.code, message.signal, text, timedOut, aborted));
        }
      };
      this.onDeath = (reason) => settle(result(null, "SIGKILL", `${output.text()}${reason}`, timedOut, aborted));
      if (run.signal?.aborted) onAbort();
      else run.signal?.addEventListener("abort", onAbort, { once: true });
      this.send(frame);
    });
  }

  close(): void {
    this.dead = true;
    this.child.stdin?.end();
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // gone already
    }
  }

  private send(frame: Buffer | string): void {
    if (!this.dead) this.child.stdin?.write(frame);
  }

  /** Between commands the sandbox must not keep colleague running. */
  private idle(): void {
    this.child.unref();
    (this.child.stdout as Socket | null)?.unref();
    (this.child.stderr as Socket | null)?.unref();
    (this.child.stdin as unknown as Socket | null)?.unref();
  }

  private busy(): void {
    this.child.ref();
    (this.child.stdout as Socket | null)?.ref();
    (this.child.stderr as Socket | null)?.ref();
    (this.child.stdin as unknown as Socket | null)?.ref();
  }
}
