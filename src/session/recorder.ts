import { type AgentEvent, type AgentEventBody, isEphemeral } from "../agent/events.js";
import type { SessionStore } from "../store/store.js";

export type EventListener = (event: AgentEvent) => void;

/**
 * Stamps events with their envelope, commits the durable ones to the store, then tells the
 * listeners: nobody sees an event that is not yet safe on disk.
 */
export class EventRecorder {
  private seq: number;
  private readonly listeners = new Set<EventListener>();

  constructor(
    private readonly store: SessionStore,
    readonly sessionId: string,
    readonly agentId = "main",
    lastSeq = 0,
  ) {
    this.seq = lastSeq;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit = (body: AgentEventBody): AgentEvent => {
    const durable = !isEphemeral(body.type);
    const event = {
      seq: durable ? ++this.seq : this.seq,
      sessionId: this.sessionId,
      agentId: this.agentId,
      time: new Date().toISOString(),
      ...body,
    } as AgentEvent;
    if (durable) this.store.append(event);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken subscriber must not break the run; the event is already stored.
      }
    }
    return event;
  };
}
