import type { ProcessRunner } from "../../tools/io.js";
import { defaultEnv, localProcessRunner } from "../../tools/local-io.js";
import { bubblewrapLine, probeBubblewrap } from "./bubblewrap.js";
import { scrubEnv } from "./env.js";
import { SANDBOX_BACKENDS, type Sandbox, type SandboxBackend, type SandboxOptions, SandboxUnavailable } from "./options.js";
import type { BackendProbe } from "./probe.js";
import { sandboxRunner } from "./runner.js";
import { bubblewrapLauncher, persistentSandbox } from "./session-sandbox.js";
import { defaultSupervisor } from "./supervisor.js";
import { probeUnshare, unshareLauncher, unshareLine } from "./unshare.js";

/**
 * The OS sandbox for shell commands on Linux: the whole file system read-only, the workspace and
 * a private /tmp writable, HOME's dot-entries hidden (git's config stays readable), no network
 * unless allowed, its own PID namespace, secrets out of the environment, and the command dies
 * with colleague. Backends form a chain, best first: bubblewrap, then util-linux unshare; when
 * neither works the caller gets "none" and decides what that means for permissions. On either
 * backend one sandbox serves a whole session, a supervisor inside starting each command
 * (session-sandbox.ts), unless a sandbox per command is asked for (COLLEAGUE_SANDBOX_PERSISTENT=0).
 */

export { scrubEnv } from "./env.js";
export { DEFAULT_READABLE_HOME } from "./home.js";
export { SANDBOX_BACKENDS, type Sandbox, type SandboxBackend, type SandboxOptions, SandboxUnavailable } from "./options.js";

export type BackendReport = { backend: "bubblewrap" | "unshare" } & BackendProbe;

const CHAIN = ["bubblewrap", "unshare"] as const;

function probeOne(backend: "bubblewrap" | "unshare", options: Pick<SandboxOptions, "bwrap" | "unshare"> = {}): BackendReport {
  const { ok, reason, fix } = backend === "bubblewrap" ? probeBubblewrap(options.bwrap) : probeUnshare(options.unshare);
  return { backend, ok, ...(reason ? { reason } : {}), ...(fix ? { fix } : {}) };
}

/** For `colleague doctor` and tests: each backend, whether it works here, why not, how to fix. Cached per process. */
export function probeSandboxBackends(): BackendReport[] {
  return CHAIN.map((backend) => probeOne(backend));
}

/** The backend named by COLLEAGUE_SANDBOX_BACKEND, if any (it overrides config sandbox.backend). */
export function backendFromEnv(env: NodeJS.ProcessEnv = process.env): SandboxBackend | undefined {
  const value = env.COLLEAGUE_SANDBOX_BACKEND;
  if (value === undefined || value === "") return undefined;
  if (!(SANDBOX_BACKENDS as readonly string[]).includes(value)) {
    throw new SandboxUnavailable(`COLLEAGUE_SANDBOX_BACKEND must be one of ${SANDBOX_BACKENDS.join(", ")}, got "${value}"`);
  }
  return value as SandboxBackend;
}

/**
 * Tries bubblewrap, then unshare; when neither works returns backend "none" with an
 * env-scrubbing local runner (the CALLER decides what "none" means for permissions). Throws
 * SandboxUnavailable only when `backend` forces one that does not work here.
 */
export function createSandbox(options: SandboxOptions): Sandbox {
  const forced = options.backend;
  if (forced === "none") return { backend: "none", runner: unsandboxedRunner(options.passEnv), notes: ["sandbox backend forced to none"] };
  const notes: string[] = [];
  for (const backend of forced ? [forced] : CHAIN) {
    const report = probeOne(backend, options);
    if (!report.ok) {
      if (forced) throw new SandboxUnavailable(`${report.reason}${report.fix ? `; fix: ${report.fix}` : ""}`);
      notes.push(`${backend}: ${report.reason}`);
      continue;
    }
    if (backend === "bubblewrap") {
      const bwrap = probeBubblewrap(options.bwrap).path!;
      const persistent = persistentWanted(options) ? persistentSandbox(bubblewrapLauncher(bwrap, options.supervisor ?? defaultSupervisor())) : undefined;
      return { backend, runner: sandboxRunner(options, bubblewrapLine(bwrap), undefined, persistent), notes };
    }
    const tools = probeUnshare(options.unshare).tools!;
    const persistent = persistentWanted(options) ? persistentSandbox(unshareLauncher(tools, options.supervisor ?? defaultSupervisor())) : undefined;
    return { backend, runner: sandboxRunner(options, unshareLine(tools), undefined, persistent), notes };
  }
  return { backend: "none", runner: unsandboxedRunner(options.passEnv), notes };
}

/**
 * One long-lived sandbox per session (session-sandbox.ts) unless `persistent: false` or
 * COLLEAGUE_SANDBOX_PERSISTENT=0 asks for a new sandbox per command.
 */
function persistentWanted(options: SandboxOptions, env: NodeJS.ProcessEnv = process.env): boolean {
  return options.persistent ?? env.COLLEAGUE_SANDBOX_PERSISTENT !== "0";
}

/** The unsandboxed runner (sandbox off): the local runner with secrets scrubbed from the environment. */
export function unsandboxedRunner(passEnv: string[] = []): ProcessRunner {
  return {
    run: (command, options) => localProcessRunner.run(command, { ...options, env: scrubEnv(options.env ?? defaultEnv(), passEnv) }),
  };
}

/** The message for a sandbox that cannot run, with the explicit way out. */
export function unavailableMessage(reason: string): string {
  return (
    `${reason}. Shell commands run in a sandbox by default. To run them unsandboxed, say so explicitly: ` +
    `--sandbox off, or "sandbox": {"allowUnsandboxed": true} in ~/.colleague/config.json. ` +
    "`colleague doctor` shows what would make a sandbox work here."
  );
}
