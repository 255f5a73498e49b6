import { useEffect, useRef, useState } from "react";
import type { AgentEvent } from "../../../src/agent/events.js";
import { client, problem } from "../api.js";
import { applyTeam, emptyTeam, type TeamView } from "./team.js";
import { apply, emptyView, type SessionView } from "./transcript.js";

export interface LiveSession {
  view: SessionView;
  team: TeamView;
  /** Bumps on every render-worthy change (the view objects are mutated in place). */
  version: number;
  loaded: boolean;
  error?: string;
}

/**
 * Follows a session's events from the start and then live (the client resumes a dropped
 * stream with Last-Event-ID). Events are folded as they come; React renders at most once per
 * animation frame, so a burst of deltas or a long replay costs one render, not thousands.
 */
export function useSession(id: string): LiveSession {
  const [state, setState] = useState<LiveSession>(() => ({ view: emptyView(), team: emptyTeam(), version: 0, loaded: false }));
  const ref = useRef(state);
  useEffect(() => {
    const abort = new AbortController();
    const view = emptyView();
    const team = emptyTeam();
    let frame = 0;
    let loaded = false;
    let version = 0;
    const flush = () => {
      frame = 0;
      view.items = [...view.items];
      ref.current = { view, team, version: ++version, loaded };
      setState(ref.current);
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(flush);
    };
    const fold = (event: AgentEvent) => {
      apply(view, event);
      if (view.kind !== "solo") applyTeam(team, event);
    };
    (async () => {
      try {
        const { session } = await client.getSession(id);
        view.status = session.status;
        for await (const event of client.events(id, { signal: abort.signal, until: () => false })) {
          fold(event);
          loaded = true;
          schedule();
        }
      } catch (error) {
        if (abort.signal.aborted) return;
        ref.current = { ...ref.current, error: problem(error), loaded: true };
        setState(ref.current);
      }
    })();
    // A session with nothing new to replay is loaded at once.
    const settle = setTimeout(() => {
      loaded = true;
      schedule();
    }, 400);
    return () => {
      abort.abort();
      clearTimeout(settle);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [id]);
  return state;
}
