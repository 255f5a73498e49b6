import { type AgentEvent, type AgentEventBody, isEphemeral } from "../agent/events.js";
import type { SessionStore } from "../store/store.js";
import type { TeamStore } from "../store/team-store.js";

export type TeamListener = (event: AgentEvent) => void;

/** Agent id of events about the team as a whole (start, resume, finish). */
export const TEAM_AGENT = "team";

/**
 * The event log of a team session: one unbroken `seq` across every agent, each event stamped
 * with the agent that caused it. Like EventRecorder, an event is committed before any
 * listener sees it; `alsoInTransaction` lets a caller commit a row change (a delivered
 * message, a claimed task) atomically with the event that records it.
 */
export class TeamLog {
  private seq: number;
  private readonly listeners = new Set<TeamListener>();

  constructor(
    private readonly store: SessionStore,
    private readonly teams: TeamStore,
    readonly sessionId: string,
    lastSeq = 0,
  ) {
    this.seq = lastSeq;
  }

  subscribe(listener: TeamListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private depth = 0;
  private held: AgentEvent[] = [];

  /**
   * Runs `fn` in one store transaction (board and mailbox changes with their events). Events
   * emitted inside reach the listeners only after the outermost transaction has committed; if
   * it throws, they are dropped with it and the sequence rewinds.
   */
  transaction<T>(fn: () => T): T {
    const seq = this.seq;
    this.depth++;
    let result: T;
    try {
      result = this.teams.transaction(fn);
    } catch (error) {
      this.depth--;
      if (this.depth === 0) {
        this.held = [];
        this.seq = seq;
      }
      throw error;
    }
    this.depth--;
    if (this.depth === 0) {
      const held = this.held;
      this.held = [];
      for (const event of held) this.notify(event);
    }
    return result;
  }

  private notify(event: AgentEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken subscriber must not break the team; the event is already stored.
      }
    }
  }

  emit(agentId: string, body: AgentEventBody, alsoInTransaction?: (seq: number) => void): AgentEvent {
    const durable = !isEphemeral(body.type);
    const event = {
      seq: durable ? this.seq + 1 : this.seq,
      sessionId: this.sessionId,
      agentId,
      time: new Date().toISOString(),
      ...body,
    } as AgentEvent;
    if (durable) {
      this.teams.transaction(() => {
        this.store.append(event);
        alsoInTransaction?.(event.seq);
      });
      this.seq = event.seq;
    }
    if (this.depth > 0) this.held.push(event);
    else this.notify(event);
    return event;
  }
}
