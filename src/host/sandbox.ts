import { ConfigError } from "../model/resolve.js";
import { backendFromEnv, createSandbox, probeSandboxBackends, type Sandbox, type SandboxBackend, type SandboxOptions, SandboxUnavailable } from "../policy/sandbox/index.js";
import { killRecordedProcessGroups, recordingRunner } from "../policy/sandbox/process-groups.js";
import type { ProcessRunner } from "../tools/io.js";

export type { SandboxBackend };

/**
 * The best sandbox backend that works here (bubblewrap, then unshare), or "none" with an
 * unsandboxed, secret-scrubbing runner; COLLEAGUE_SANDBOX_BACKEND (then config) may force one.
 * A forced backend that does not work here is a configuration error, one line.
 */
export function openSandbox(options: SandboxOptions, env: NodeJS.ProcessEnv, configured?: SandboxBackend): Sandbox {
  try {
    const backend = backendFromEnv(env) ?? configured;
    return createSandbox({ ...options, ...(backend ? { backend } : {}) });
  } catch (error) {
    if (error instanceof SandboxUnavailable) throw new ConfigError(error.message);
    throw error;
  }
}

/** Whether any sandbox backend works on this machine (for faces that choose a fallback themselves). */
export function sandboxWorksHere(env: NodeJS.ProcessEnv = process.env): boolean {
  if (backendFromEnv(env) === "none") return false;
  return probeSandboxBackends().some((b) => b.ok);
}

/**
 * The runner one session's commands go through: each command's process group is recorded under
 * the colleague home before it starts, so `endSessionProcesses` (or a later resume) can kill it.
 */
export function sessionRunner(runner: ProcessRunner, home: string, sessionId: string): ProcessRunner {
  return recordingRunner(runner, home, sessionId);
}

/**
 * At a session's end, and before a resume runs: kills what its commands left running (background
 * processes, a command cut off when colleague was killed) and removes the sandbox's temp folders.
 * Never throws.
 */
export function endSessionProcesses(home: string, sessionId: string, runner?: ProcessRunner): void {
  killRecordedProcessGroups(home, sessionId);
  try {
    runner?.close?.();
  } catch {
    // a temp folder that cannot be removed is swept by a later run
  }
}
