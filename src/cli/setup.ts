import type { EffortSetting } from "../agent/effort.js";
import { storePath } from "../config/config.js";
import { Host } from "../host/host.js";
import { SqliteStore } from "../store/sqlite.js";
import { denyingApprover, terminalApprover } from "../policy/approver.js";
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
export function openStore(env: NodeJS.ProcessEnv = process.env): SqliteStore {
  return new SqliteStore(storePath(env));
}

/**
 * The host for a command-line face: approvals are asked on the terminal when there is one
 * (stdin and stderr both a TTY; the prompt goes to stderr so stdout stays the output), and
 * denied with a hint when there is none; notices go to stderr.
 */
export function cliHost(env: NodeJS.ProcessEnv = process.env): Host {
  const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
  const asker = terminalApprover(process.stdin, process.stderr);
  return new Host({
    env,
    // The run renderer's spinner steps aside while the question is on the terminal.
    approver: interactive ? { ...asker, ask: (request) => terminalPrompt.around(() => asker.ask(request)) } : denyingApprover,
    interactive,
    ...(interactive ? { askTrust: (question) => terminalPrompt.around(() => terminalTrustPrompt(process.stdin, process.stderr)(question)) } : {}),
    onNotice: (line) => process.stderr.write(`colleague: ${line}\n`),
  });
}

/**
 * Ctrl-C once: abort the run cleanly (the log records it). Twice: leave at once.
 * Returns the signal and a function that removes the handler.
 */
export function interruptible(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigint);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off("SIGINT", onSigint);
      process.off("SIGTERM", onSigint);
    },
  };
}
