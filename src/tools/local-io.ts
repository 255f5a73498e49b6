/**
 * The local backends of the tool I/O interfaces: node:fs/promises for files, and a process
 * runner that runs each command in its own process group so that a timeout or an abort can
 * kill everything the command started, not just the shell.
 *
 * The shell waits at a gate (a line on its stdin) before it runs anything: the group is handed
 * to `onProcessGroup` (recorded) first, and a colleague killed before it opens the gate leaves a
 * shell that reads end-of-file and exits without running the command.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import { StringDecoder } from "node:string_decoder";
import type { FileReader, FileSystem, ProcessRunner, RunOptions, RunResult } from "./io.js";
import { monotonicMs } from "../builtins.js";

export const localFileSystem: FileSystem = {
  readFile: (p) => fs.readFile(p),
  openForReading: async (p): Promise<FileReader> => {
    const handle = await fs.open(p, "r");
    return {
      read: async (buffer, position) => (await handle.read(buffer, 0, buffer.length, position)).bytesRead,
      close: () => handle.close(),
    };
  },
  writeFile: (p, data) => fs.writeFile(p, data),
  mkdir: async (p) => {
    await fs.mkdir(p, { recursive: true });
  },
  rm: (p) => fs.rm(p, { force: false }),
  rename: (from, to) => fs.rename(from, to),
  stat: (p) => fs.stat(p),
  lstat: (p) => fs.lstat(p),
  readdir: (p) => fs.readdir(p, { withFileTypes: true }),
  realpath: (p) => fs.realpath(p),
};

/** Time between SIGTERM and SIGKILL, so well-behaved programs can clean up. */
const KILL_GRACE_MS = 2_000;
/** After the shell exits, how long to wait for pipes held open by background children. */
const DRAIN_MS = 200;

let shellPath: string | undefined;
function shell(): string {
  shellPath ??= existsSync("/bin/bash") ? "/bin/bash" : "/bin/sh";
  return shellPath;
}

/**
 * How to run a script with `shell`. bash whose stdin is a socket (Node's pipes are socket
 * pairs) takes itself for a shell started by sshd and reads ~/.bashrc, unless an inherited
 * SHLVL says it is nested: --norc keeps the user's start-up files out of every command.
 */
export function shellInvocation(file: string = shell()): string[] {
  return file.endsWith("/bash") ? [file, "--norc", "-c"] : [file, "-c"];
}

/** Non-interactive defaults: a pager or a credential prompt would hang a command forever. */
export function defaultEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PAGER: "cat", GIT_PAGER: "cat", GIT_TERMINAL_PROMPT: "0" };
}

export const localProcessRunner: ProcessRunner = {
  run(command: string, options: RunOptions): Promise<RunResult> {
    const started = monotonicMs();
    const output = new HeadTailBuffer(options.maxOutputBytes);
    return new Promise((resolve) => {
      let child: ChildProcess;
      try {
        const [file, ...flags] = shellInvocation();
        child = spawn(file!, [...flags, `${gate(options.lifelineFd)}${command}`], {
          cwd: options.cwd,
          env: options.env ?? defaultEnv(),
          stdio: ["pipe", "pipe", "pipe"],
          detached: true, // its own process group: kill(-pid) reaches every descendant
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        resolve(result(null, null, `failed to start: ${message}`, 0, false, false, started));
        return;
      }
      child.stdin?.on("error", () => {
        // the shell is gone before the gate opened (it failed to start, or was killed)
      });
      if (child.pid !== undefined) {
        try {
          options.onProcessGroup?.(child.pid);
        } catch (error) {
          child.kill("SIGKILL");
          child.stdin?.destroy();
          const message = error instanceof Error ? error.message : String(error);
          resolve(result(null, null, `not started: its process group could not be recorded (${message})`, 0, false, false, started));
          return;
        }
        child.stdin?.write("\n");
      }
      let timedOut = false;
      let aborted = false;
      let settled = false;
      const decoders = [new StringDecoder("utf8"), new StringDecoder("utf8")];
      const onData = (index: number) => (chunk: Buffer) => {
        output.push(chunk);
        if (options.onOutput) {
          const text = decoders[index]!.write(chunk);
          if (text) options.onOutput(text);
        }
      };
      child.stdout?.on("data", onData(0));
      child.stderr?.on("data", onData(1));

      const kill = () => killGroup(child);
      const timer = setTimeout(() => {
        timedOut = true;
        kill();
      }, options.timeoutMs);
      const onAbort = () => {
        aborted = true;
        kill();
      };
      if (options.signal?.aborted) onAbort();
      else options.signal?.addEventListener("abort", onAbort, { once: true });

      const finish = (code: number | null, signal: string | null, failure?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
        // Background children may still hold our pipes; stop listening rather than wait for them.
        child.stdin?.destroy();
        child.stdout?.destroy();
        child.stderr?.destroy();
        const text = failure ? `${output.text()}${failure}` : output.text();
        resolve(result(code, signal, text, output.dropped, timedOut, aborted, started));
      };
      child.on("error", (error) => finish(null, null, `failed to start: ${error.message}`));
      child.on("close", (code, signal) => finish(code, signal));
      child.on("exit", (code, signal) => {
        setTimeout(() => finish(code, signal), DRAIN_MS).unref();
      });
    });
  },
};

/**
 * The start gate: wait for the line that says the group is recorded (end-of-file: colleague
 * died first, so run nothing), then give the command /dev/null as stdin, keeping the gate on
 * `lifelineFd` when asked.
 */
function gate(lifelineFd: number | undefined): string {
  return `IFS= read -r _ || exit 125\nexec ${lifelineFd !== undefined ? `${lifelineFd}<&0 ` : ""}</dev/null\n`;
}

function result(
  exitCode: number | null,
  signal: string | null,
  output: string,
  droppedBytes: number,
  timedOut: boolean,
  aborted: boolean,
  started: number,
): RunResult {
  const durationMs = Math.round(monotonicMs() - started);
  return { exitCode, signal, output, droppedBytes, timedOut, aborted, durationMs };
}

/** SIGTERM to the whole group now, SIGKILL to whatever is left after the grace period. */
function killGroup(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined) return;
  const send = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // the group is already gone
    }
  };
  send("SIGTERM");
  setTimeout(() => send("SIGKILL"), KILL_GRACE_MS).unref();
}

/** Keeps the first and last halves of a byte budget; counts what falls in between. */
export class HeadTailBuffer {
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  dropped = 0;
  private readonly half: number;

  constructor(maxBytes: number) {
    this.half = Math.max(1, Math.floor(maxBytes / 2));
  }

  push(chunk: Buffer): void {
    if (this.headBytes < this.half) {
      const take = Math.min(chunk.length, this.half - this.headBytes);
      this.head.push(chunk.subarray(0, take));
      this.headBytes += take;
      chunk = chunk.subarray(take);
      if (chunk.length === 0) return;
    }
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    while (this.tailBytes > this.half) {
      const first = this.tail[0]!;
      const excess = this.tailBytes - this.half;
      if (first.length <= excess) {
        this.tail.shift();
        this.tailBytes -= first.length;
        this.dropped += first.length;
      } else {
        this.tail[0] = first.subarray(excess);
        this.tailBytes -= excess;
        this.dropped += excess;
      }
    }
  }

  text(): string {
    const head = Buffer.concat(this.head).toString("utf8");
    const tail = Buffer.concat(this.tail).toString("utf8");
    if (this.dropped === 0) return head + tail;
    const lf = head.endsWith("\n") ? "" : "\n";
    return `${head}${lf}[… ${this.dropped} bytes of output omitted …]\n${tail}`;
  }
}
