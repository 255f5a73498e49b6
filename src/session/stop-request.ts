/**
 * Why the process running a session ends it early: the terminal hung up (SIGHUP), it was told
 * to stop (SIGTERM), or its output was closed (EPIPE, as in `colleague run --json | head -1`).
 * Passed as the abort reason; the session then ends as "stopped", which `resume` continues,
 * rather than as "aborted" by the person or "error".
 */
export type StopCause = "SIGHUP" | "SIGTERM" | "EPIPE";

const WHY: Record<StopCause, string> = {
  SIGHUP: "the terminal hung up (SIGHUP)",
  SIGTERM: "the process was told to stop (SIGTERM)",
  EPIPE: "its output was closed (EPIPE)",
};

export class StopRequest extends Error {
  override name = "StopRequest";
  constructor(readonly kind: StopCause) {
    super(`${WHY[kind]}; \`colleague resume\` continues it`);
  }
}
