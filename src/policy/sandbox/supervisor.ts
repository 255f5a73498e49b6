import { existsSync } from "node:fs";
import { NODE_SUPERVISOR, PERL_SUPERVISOR } from "./supervisor-programs.js";

/**
 * The supervisor lives inside a long-lived sandbox (one bwrap per session instead of one per
 * command) and starts each command there (supervisor-programs.ts). It talks to the host side
 * (session-sandbox.ts) over its stdin and stdout in frames: a header line, then as many raw
 * bytes as the header says, so output needs no encoding and a program without a JSON parser
 * can speak it.
 *
 *   host → supervisor   run <n>\n + n bytes: cwd \0 script \0 NAME=value \0 …   one command at a time
 *                        signal SIGTERM\n                                        to the command's process group
 *   supervisor → host   ready\n                                                 once, when it can take commands
 *                        out <1|2> <n>\n + n bytes                               output as it arrives
 *                        exit <code|-> <signal|-> <n>\n + n bytes of failure     when the command has ended
 */

export type SupervisorKind = "perl" | "node";

export type SupervisorMessage =
  | { op: "ready" }
  | { op: "out"; fd: 1 | 2; data: Buffer }
  | { op: "exit"; code: number | null; signal: string | null; failure?: string };

const PERL = "/usr/bin/perl";

/** Perl where it is installed (every Debian-based system has it), else Node. */
export function defaultSupervisor(): SupervisorKind {
  return existsSync(PERL) ? "perl" : "node";
}

/** The command line that starts the supervisor inside the sandbox. */
export function supervisorArgv(kind: SupervisorKind): string[] {
  const node = [process.execPath, "-e", NODE_SUPERVISOR];
  // The Node program rides along: a Perl without the modules the supervisor needs runs it instead.
  return kind === "perl" ? [PERL, "-e", PERL_SUPERVISOR, process.execPath, NODE_SUPERVISOR] : node;
}

/**
 * The frame that runs a command, or why it cannot be sent: a NUL byte cannot reach a shell
 * (the kernel ends an argument there), and here it would split the fields.
 */
export function runFrame(script: string, cwd: string, env: NodeJS.ProcessEnv): Buffer | string {
  if (script.includes("\0") || cwd.includes("\0")) return "the command holds a NUL byte";
  const fields = [cwd, script];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || name === "" || /[=\0]/.test(name) || value.includes("\0")) continue;
    fields.push(`${name}=${value}`);
  }
  const payload = Buffer.from(fields.join("\0"));
  return Buffer.concat([Buffer.from(`run ${payload.length}\n`), payload]);
}

export const signalFrame = (signal: "SIGTERM" | "SIGKILL") => `signal ${signal}\n`;

/** Reads the supervisor's frames from its stdout, however the chunks cut them. */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly onMessage: (message: SupervisorMessage) => void) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    for (;;) {
      const nl = this.pending.indexOf(10);
      if (nl < 0) return;
      const [op, a = "", b = "", c = ""] = this.pending.toString("latin1", 0, nl).split(" ");
      const size = op === "out" ? Number(b) : op === "exit" ? Number(c) : 0;
      const end = nl + 1 + size;
      if (this.pending.length < end) return;
      const body = this.pending.subarray(nl + 1, end);
      this.pending = this.pending.subarray(end);
      if (op === "ready") this.onMessage({ op });
      else if (op === "out") this.onMessage({ op, fd: a === "2" ? 2 : 1, data: body });
      else if (op === "exit") {
        const failure = size > 0 ? body.toString("utf8") : undefined;
        this.onMessage({ op, code: a === "-" ? null : Number(a), signal: b === "-" ? null : b, ...(failure ? { failure } : {}) });
      }
    }
  }
}
