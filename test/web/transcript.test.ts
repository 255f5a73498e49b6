import { describe, expect, it } from "vitest";
import type { AgentEvent } from "../../src/agent/events.js";
import { applyTeam, emptyTeam } from "../../web/src/state/team.js";
import { apply, emptyView } from "../../web/src/state/transcript.js";

let seq = 0;
const ev = (body: Record<string, unknown>, agentId = "main"): AgentEvent => ({ seq: ++seq, sessionId: "s", agentId, time: "2026-12-01T00:00:00Z", ...body }) as unknown as AgentEvent;
const usage = (n: number) => ({ input: n, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 });

describe("the dashboard's transcript fold", () => {
  it("streams deltas into one live turn that the stored message replaces; calls show from the request, finish with diff and decision", () => {
    const view = emptyView();
    for (const e of [
      ev({ type: "session_started", task: "t", model: "scripted:x", cwd: "/w", system: "", tools: [] }),
      ev({ type: "text_delta", delta: "Hel" }),
      ev({ type: "thinking_delta", delta: "hmm" }),
      ev({ type: "text_delta", delta: "lo" }),
    ])
      apply(view, e);
    expect(view.items).toMatchObject([{ kind: "assistant", text: "Hello", thinking: "hmm", live: true }]);
    apply(view, ev({ type: "assistant_message", costUsd: 0, message: { role: "assistant", content: [{ type: "thinking", text: "hmm" }, { type: "text", text: "Hello" }, { type: "tool_call", id: "c1", name: "edit_file", args: { path: "a" } }, { type: "tool_call", id: "c2", name: "shell", args: { command: "rm -rf /" } }] } }));
    expect(view.items.map((i) => i.kind)).toEqual(["assistant", "tool", "tool"]);
    expect(view.items[0]).toMatchObject({ live: false, text: "Hello" });
    apply(view, ev({ type: "tool_started", callId: "c1", name: "edit_file", args: { path: "a" } }));
    apply(view, ev({ type: "tool_output", callId: "c1", chunk: "partial" }));
    expect(view.items[1]).toMatchObject({ status: "running", output: "partial" });
    apply(view, ev({ type: "permission_decision", callId: "c1", name: "edit_file", decision: "allow", via: "approval", answer: "once", reason: "ok" }));
    apply(view, ev({ type: "tool_finished", callId: "c1", name: "edit_file", content: [{ type: "text", text: "Edited a" }], isError: false, details: { diff: "@@ -1 +1 @@\n-a\n+b" }, durationMs: 3 }));
    apply(view, ev({ type: "permission_decision", callId: "c2", name: "shell", decision: "deny", via: "approval", answer: "deny", reason: "not that" }));
    apply(view, ev({ type: "tool_finished", callId: "c2", name: "shell", content: [{ type: "text", text: "denied" }], isError: true, durationMs: 0 }));
    expect(view.items[1]).toMatchObject({ status: "done", diff: "@@ -1 +1 @@\n-a\n+b", decision: "allowed (once)" });
    expect(view.items[2]).toMatchObject({ status: "denied", decision: "denied: not that" });
    expect(view.approvalTick).toBe(2);
  });

  it("builds the cost/tokens series per step and marks compactions; the end sets the status", () => {
    const view = emptyView();
    apply(view, ev({ type: "step_started", step: 1 }));
    apply(view, ev({ type: "context", used: 100, window: 1000, cached: 0, cacheHitRatio: 0, estimated: false, messages: 1, cleared: [], compacted: false }));
    apply(view, ev({ type: "step_finished", step: 1, usage: usage(100), costUsd: 0.01 }));
    apply(view, ev({ type: "step_started", step: 2 }));
    apply(view, ev({ type: "context_compacted", reason: "auto", dropped: 4, tokensBefore: 900, tokensAfter: 200 }));
    apply(view, ev({ type: "step_finished", step: 2, usage: usage(300), costUsd: 0.03 }));
    apply(view, ev({ type: "session_finished", status: "interrupted", steps: 2, usage: usage(300), costUsd: 0.03, durationMs: 5 }));
    expect(view.series).toEqual([
      { step: 1, costUsd: 0.01, tokens: 100 },
      { step: 2, costUsd: 0.03, tokens: 300 },
    ]);
    expect(view.compactions).toEqual([2]);
    expect(view.context).toMatchObject({ used: 100, window: 1000 });
    expect(view.status).toBe("interrupted");
  });

  it("a team keeps its own task; the board, members and mailbox follow the events", () => {
    const view = emptyView();
    const team = emptyTeam();
    const fold = (e: AgentEvent) => {
      apply(view, e);
      if (view.kind !== "solo") applyTeam(team, e);
    };
    fold(ev({ type: "team_started", kind: "team", task: "ship it", cwd: "/w", lead: "scripted:l", teammateModels: [], size: 1 }, "team"));
    fold(ev({ type: "session_started", task: "Do T1.", model: "m", cwd: "/w", system: "", tools: [] }, "writer"));
    fold(ev({ type: "teammate_spawned", name: "writer", role: "writer", model: "m", isolated: false }, "lead"));
    fold(ev({ type: "task_created", task: { id: "T1", title: "write", description: "", dependsOn: [], status: "pending", createdBy: "lead" } }, "lead"));
    fold(ev({ type: "tool_started", callId: "x", name: "claim_task", args: { id: "T1" } }, "writer"));
    fold(ev({ type: "task_updated", taskId: "T1", status: "in_progress", owner: "writer" }, "writer"));
    fold(ev({ type: "message_sent", messageId: "m1", from: "writer", to: "lead", text: "done soon" }, "writer"));
    fold(ev({ type: "user_message", kind: "steer", text: "[from writer] done soon" }, "lead"));
    expect(view.task).toBe("ship it");
    expect(team.tasks.get("T1")).toMatchObject({ status: "in_progress", owner: "writer" });
    expect(team.members.get("writer")).toMatchObject({ action: "claim_task T1", status: "working" });
    expect(team.mailbox.map((m) => [m.from, m.to, m.text])).toEqual([["writer", "lead", "done soon"]]);
  });
});
