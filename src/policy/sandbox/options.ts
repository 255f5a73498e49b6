import type { ProcessRunner } from "../../tools/io.js";
import type { SupervisorKind } from "./supervisor.js";

/** The OS sandboxes colleague can run commands in, best first; "none" runs them unsandboxed. */
export const SANDBOX_BACKENDS = ["bubblewrap", "unshare", "none"] as const;
export type SandboxBackend = (typeof SANDBOX_BACKENDS)[number];

export interface SandboxOptions {
  /** Writable: the workspace root (and so everything under it). */
  workspace: string;
  /** Extra writable folders (e.g. a build cache the user chose). */
  writable?: string[];
  /** Give the command the network (default: none at all). */
  network?: boolean;
  /** Without `network`: hosts reachable through a filtering HTTP proxy (e.g. "registry.npmjs.org", "*.github.com"). */
  allowedHosts?: string[];
  /** Hears each proxied host and whether it was allowed (for the audit log). */
  onHostRequest?: (host: string, allowed: boolean) => void;
  /** Whose HOME dot-entries to hide (default: os.homedir()). */
  home?: string;
  /** HOME entries that stay readable besides git's config, e.g. ".vimrc" or ".config/nvim". */
  readableHome?: string[];
  /** More paths to hide (e.g. $COLLEAGUE_HOME when it is not under HOME). */
  hidden?: string[];
  /** Path of bwrap (default: found on PATH). */
  bwrap?: string;
  /** Path of util-linux's unshare (default: found on PATH); setpriv and mount are looked up beside it. */
  unshare?: string;
  /** Environment variable names exempt from secret scrubbing (config sandbox.passEnv). */
  passEnv?: string[];
  /**
   * One long-lived sandbox per session with a supervisor inside that starts each command
   * (either backend). Default: on, unless COLLEAGUE_SANDBOX_PERSISTENT=0.
   */
  persistent?: boolean;
  /** The program inside a long-lived sandbox that starts its commands (default: Perl where installed, else Node). */
  supervisor?: SupervisorKind;
  /** Force one backend (tests, config sandbox.backend, env COLLEAGUE_SANDBOX_BACKEND); "none" only when forced. */
  backend?: SandboxBackend;
}

export interface Sandbox {
  backend: SandboxBackend;
  runner: ProcessRunner;
  /** One line per skipped backend: why. */
  notes: string[];
}

export class SandboxUnavailable extends Error {
  override name = "SandboxUnavailable";
}
