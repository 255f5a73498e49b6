/** Exit codes, documented in the README. */
export const EXIT = {
  ok: 0,
  /** the run failed: model error, unreachable provider, internal error */
  failed: 1,
  /** bad usage or configuration: unknown flag or model, missing key, broken config */
  usage: 2,
  /** stopped by a limit: --max-steps or a budget */
  limit: 3,
  /** interrupted (Ctrl-C) */
  interrupted: 130,
} as const;

/** A mistake in how colleague was called: printed as one line, exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
