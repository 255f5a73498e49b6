import { describe, expect, it } from "vitest";
import type { AgentEventBody } from "../../src/agent/events.js";
import type { AgentHooks } from "../../src/agent/loop.js";
import { createUserHookLayer } from "../../src/hooks/layer.js";
import type { HookEntry } from "../../src/hooks/schema.js";
import { UserHooks } from "../../src/hooks/user-hooks.js";
import type { ProcessRunner, RunResult } from "../../src/tools/io.js";
import type { AnyTool } from "../../src/tools/define.js";

/** A runner that answers each command from a table (stdout, then marked stderr), recording the stdin JSON it was given. */
function fakeRunner(answers: Record<string, { exit: number; stdout?: string; stderr?: string }>) {
  const inputs: Array<Record<string, unknown>> = [];
  const runner: ProcessRunner = {
    async run(command, options): Promise<RunResult> {
      inputs.push(JSON.parse(options.env?.COLLEAGUE_HOOK_INPUT ?? "{}"));
      const key = Object.keys(answers).find((k) => command.includes(k))!;
      const a = answers[key]!;
      const output = (a.stdout ?? "") + (a.stderr ? `\x1f${a.stderr}\n` : "");
      return { exitCode: a.exit, signal: null, output, droppedBytes: 0, timedOut: false, aborted: false, durationMs: 1 };
    },
  };
  return { runner, inputs };
}

const entry = (event: HookEntry["event"], command: string, matcher = ""): HookEntry => ({ event, matcher, command, timeoutS: 5, source: "test", scope: "user" });
const tool = { name: "shell", readOnly: false } as unknown as AnyTool;
const call = { type: "tool_call" as const, id: "c1", name: "shell", args: { command: "ls" } };

function layered(entries: HookEntry[], answers: Parameters<typeof fakeRunner>[0], inner: AgentHooks, stopEvent: "Stop" | "SubagentStop" = "Stop") {
  const { runner, inputs } = fakeRunner(answers);
  const user = new UserHooks({ entries, runner, workspace: "/ws", projectDir: "/ws", permissionMode: "ask" });
  const layer = createUserHookLayer(user, { stopEvent });
  const events: AgentEventBody[] = [];
  const hooks = layer.wrap(inner);
  return { hooks, layer, inputs, events, start: () => hooks.onRunStart?.({ sessionId: "s1", emit: (e) => events.push(e) }, []) };
}

describe("the hook layer around the policy", () => {
  it("a deny stops the call before the policy is asked", async () => {
    let asked = 0;
    const { hooks, start } = layered([entry("PreToolUse", "deny-it")], { "deny-it": { exit: 2, stderr: "no" } }, { beforeToolCall: () => void asked++ });
    await start();
    expect(await hooks.beforeToolCall?.(call, tool)).toEqual({ block: true, reason: "a PreToolUse hook denied it: no" });
    expect(asked).toBe(0);
  });

  it("an allow is handed to the policy for this call only, and the policy still decides", async () => {
    const seen: unknown[] = [];
    const { hooks, layer, start } = layered([entry("PreToolUse", "allow-it")], { "allow-it": { exit: 0, stdout: '{"hookSpecificOutput":{"permissionDecision":"allow"}}' } }, {
      beforeToolCall: (c) => {
        seen.push(layer.hookPermission(c.id));
        return { block: true, reason: "a deny rule" };
      },
    });
    await start();
    expect(await hooks.beforeToolCall?.(call, tool)).toEqual({ block: true, reason: "a deny rule" });
    expect(seen).toEqual([{ decision: "allow", reason: "" }]);
    expect(layer.hookPermission("c1")).toBeUndefined();
  });

  it("a subagent's stop runs SubagentStop hooks, with stop_hook_active", async () => {
    const { hooks, inputs, start } = layered([entry("SubagentStop", "sub-stop"), entry("Stop", "main-stop")], { "sub-stop": { exit: 2, stderr: "not yet" }, "main-stop": { exit: 0 } }, {}, "SubagentStop");
    await start();
    expect(await hooks.beforeFinalAnswer?.("done", [])).toEqual({ retry: "SubagentStop hook feedback:\nnot yet" });
    await hooks.beforeFinalAnswer?.("done", []);
    expect(inputs.map((i) => [i.hook_event_name, i.stop_hook_active])).toEqual([
      ["SubagentStop", false],
      ["SubagentStop", true],
    ]);
  });

  it("the honesty check's retry goes first; the Stop hooks wait for the answer it accepts", async () => {
    const { hooks, inputs, start } = layered([entry("Stop", "stop")], { stop: { exit: 0 } }, { beforeFinalAnswer: () => ({ retry: "check your claims" }) });
    await start();
    expect(await hooks.beforeFinalAnswer?.("done", [])).toEqual({ retry: "check your claims" });
    expect(inputs).toEqual([]);
  });
});
