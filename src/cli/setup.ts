import { isatty } from "node:tty";
import type { EffortSetting } from "../agent/effort.js";
import { Host } from "../host/host.js";
import { storeLocation } from "../host/store-location.js";
import { type OpenedStore, openSessionStore } from "../store/open.js";
import { type Approver, denyingApprover, terminalApprover } from "../policy/approver.js";
import { type StopCause, StopRequest } from "../session/stop-request.js";
import { UsageError } from "./errors.js";
import { terminalPrompt } from "./live-region.js";
import { terminalTrustPrompt } from "./trust-prompt.js";

export const EFFORTS = ["low", "medium", "high", "max", "auto"] as const;

/** `auto` is kept as is: the loop chooses effort per step (src/agent/effort.ts). */
export function parseEffort(value: string | undefined): EffortSetting | undefined {
  if (value === undefined) return undefined;
  if (!(EFFORTS as readonly string[]).includes(value)) {
    throw new UsageError(`--effort must be one of ${EFFORTS.join(", ")}, got "${value}"`);
  }
  return value as EffortSetting;
}

/** The session store, for commands that only read it (sessions, show). */
export function openStore(env: NodeJS.ProcessEnv = process.env): OpenedStore {
  return openSessionStore(storeLocation(env));
}

/**
 * The host for a command-line face: approvals are asked on the terminal when there is one
 * (stdin and stderr both a TTY; the prompt goes to stderr so stdout stays the output), and
 * denied with a hint when there is none; notices go to stderr.
 */
export function cliHost(env: NodeJS.ProcessEnv = process.env): Host {
  // Asked of the file descriptors: stdin's stream is only built where it is read.
  const interactive = isatty(0) && isatty(2);
  return new Host({
    env,
    // The run renderer's spinner steps aside while the question is on the terminal.
    approver: interactive ? aroundPrompt(terminalApprover(process.stdin, process.stderr)) : denyingApprover,
    interactive,
    ...(interactive ? { askTrust: (question) => terminalPrompt.around(() => terminalTrustPrompt(process.stdin, process.stderr)(question)) } : {}),
    onNotice: (line) => process.stderr.write(`colleague: ${line}\n`),
  });
}

const aroundPrompt = (asker: Approver): Approver => ({ ...asker, ask: (request) => terminalPrompt.around(() => asker.ask(request)) });

/** As a shell reports a process ended by that signal (128 + its number; EPIPE is SIGPIPE's). */
const STOP_EXIT: Record<StopCause, number> = { SIGHUP: 129, SIGTERM: 143, EPIPE: 141 };

export interface RunStopper {
  signal: AbortSignal;
  dispose: () => void;
  /** The exit code when the run was stopped by a hang-up, SIGTERM or closed output; undefined otherwise. */
  stopExit: () => number | undefined;
}

/**
 * How a command-line run ends early, each cleanly, with its log intact and resumable:
 * Ctrl-C aborts the run (twice: leave at once); SIGHUP (the terminal closed), SIGTERM and
 * a closed stdout (`colleague run --json | head -1`) stop it, so it ends as "stopped". Errors
 * on a closed stdout or stderr are never a crash: nobody is there to read them.
 */
export function interruptible(): RunStopper {
  const controller = new AbortController();
  let stopped: StopCause | undefined;
  const stop = (kind: StopCause) => {
    stopped = kind;
    controller.abort(new StopRequest(kind));
  };
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  const onSignal = (kind: "SIGHUP" | "SIGTERM") => () => {
    if (controller.signal.aborted) process.exit(STOP_EXIT[kind]);
    stop(kind);
  };
  const onSighup = onSignal("SIGHUP");
  const onSigterm = onSignal("SIGTERM");
  const onOutputError = () => {
    if (!controller.signal.aborted) stop("EPIPE");
  };
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigterm);
  process.on("SIGHUP", onSighup);
  process.stdout.on("error", onOutputError);
  quietOutputErrors();
  return {
    signal: controller.signal,
    stopExit: () => (stopped ? STOP_EXIT[stopped] : undefined),
    dispose: () => {
      process.off("SIGINT", onSigint);
      process.off("SIGTERM", onSigterm);
      process.off("SIGHUP", onSighup);
      process.stdout.off("error", onOutputError);
    },
  };
}

let quiet = false;

/** Once per process: a write to a closed stdout or stderr is dropped, not an uncaught 'error'. */
function quietOutputErrors(): void {
  if (quiet) return;
  quiet = true;
  process.stdout.on("error", () => {});
  process.stderr.on("error", () => {});
}
