import { holdSession, type SessionHold } from "../session/lease.js";
import type { SessionStore } from "../store/store.js";
import type { ProcessRunner } from "../tools/io.js";
import { endSessionProcesses, sessionRunner } from "./sandbox.js";

/**
 * What a team holds while it runs, as a solo session does: the session's lease (one process
 * runs it; a second `resume` is told who holds it) and the runners of its members, whose
 * commands' process groups are recorded under the team's session id. `end()` kills what those
 * commands left running, removes the sandboxes' temp folders and gives the lease back.
 */
export class TeamLifetime {
  private readonly runners = new Set<ProcessRunner>();
  private ended = false;

  private constructor(
    private readonly home: string,
    readonly sessionId: string,
    private readonly hold: SessionHold,
  ) {}

  /** Takes the session's lease (throws SessionBusy naming the holder). */
  static hold(store: SessionStore, home: string, sessionId: string): TeamLifetime {
    return new TeamLifetime(home, sessionId, holdSession(store, sessionId));
  }

  /** Kills what an earlier, killed run of the team left running (before anything runs again). */
  killLeftovers(): void {
    endSessionProcesses(this.home, this.sessionId);
  }

  /** A member's runner, recording each command's process group before it starts. */
  runner(base: ProcessRunner): ProcessRunner {
    this.runners.add(base);
    return sessionRunner(base, this.home, this.sessionId);
  }

  /** Idempotent; never throws. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    endSessionProcesses(this.home, this.sessionId);
    for (const runner of this.runners) endSessionProcesses(this.home, this.sessionId, runner);
    try {
      this.hold.release();
    } catch {
      // a closed store: the lease is stale once this process is gone
    }
  }
}
