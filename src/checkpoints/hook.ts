import type { AgentEventBody } from "../agent/events.js";
import type { AgentHooks } from "../agent/loop.js";
import type { Snapshot } from "./shadow-repo.js";

/** What the loop needs of a checkpoint store: one snapshot before a call that may change files. */
export interface Checkpointer {
  snapshot(label: string): Promise<Snapshot>;
}

/**
 * Wraps the hooks so that every call that may change the workspace (any tool that is neither
 * read-only nor pure team coordination: writes, edits, patches, shell commands, MCP tools) is
 * preceded by a snapshot, recorded as a `checkpoint` event. The snapshot is taken after the
 * policy allowed the call (a blocked call changes nothing), and a failed snapshot is recorded
 * and never blocks the call.
 */
export function checkpointBeforeChanges(
  hooks: AgentHooks,
  checkpoints: Checkpointer,
  run: { sessionId: string; emit: (event: AgentEventBody) => unknown; step: () => number },
): AgentHooks {
  const inner = hooks.beforeToolCall?.bind(hooks);
  return {
    ...hooks,
    async beforeToolCall(call, tool) {
      const gate = await inner?.(call, tool);
      if (gate?.block || tool.readOnly || tool.coordination) return gate;
      const step = run.step();
      const base = { type: "checkpoint", step, callId: call.id, tool: call.name } as const;
      try {
        const snap = await checkpoints.snapshot(`${run.sessionId}-${step}-${call.id}`);
        run.emit({ ...base, commit: snap.commit, changed: snap.changed });
      } catch (error) {
        run.emit({ ...base, error: (error as Error).message });
      }
      return gate;
    },
  };
}
