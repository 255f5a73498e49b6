import { createSandboxedRunner, probeBubblewrap, SandboxUnavailable } from "../policy/sandbox.js";
import type { SandboxOptions } from "../policy/sandbox.js";
import type { ProcessRunner } from "../tools/io.js";

export type SandboxBackend = "bubblewrap" | "unshare" | "none";

export interface OpenedSandbox {
  backend: SandboxBackend;
  runner: ProcessRunner;
  /** Why better backends were passed over, one line each. */
  notes: string[];
}

/** The best sandbox backend that works here; "none" (with the plain runner) when none does. */
export function openSandbox(options: SandboxOptions, plain: ProcessRunner): OpenedSandbox {
  try {
    return { backend: "bubblewrap", runner: createSandboxedRunner(options), notes: [] };
  } catch (error) {
    if (!(error instanceof SandboxUnavailable)) throw error;
    return { backend: "none", runner: plain, notes: [error.message.split(". ")[0] ?? error.message] };
  }
}

/** Whether any sandbox backend works on this machine (for faces that choose a fallback themselves). */
export function sandboxWorksHere(): boolean {
  return probeBubblewrap().path !== undefined;
}
