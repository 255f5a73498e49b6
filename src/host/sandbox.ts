import { ConfigError } from "../model/resolve.js";
import { backendFromEnv, createSandbox, probeSandboxBackends, type Sandbox, type SandboxBackend, type SandboxOptions, SandboxUnavailable } from "../policy/sandbox/index.js";

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
