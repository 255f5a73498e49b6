import { describe, expect, it } from "vitest";
import type { AgentEvent, AgentEventBody } from "../../src/agent/events.js";
import { diagnoseRun } from "../../src/eval/diagnose.js";
import { modelDiagnoser } from "../../src/eval/diagnose-model.js";
import { createScriptedModel } from "../../src/model/scripted.js";

const usage = { input: 10, output: 5, cacheRead: 0, cacheWrite: 0, reasoning: 0 };
/** A crafted session log: bodies numbered from 1 as the store numbers them. */
const log = (...bodies: AgentEventBody[]): AgentEvent[] => bodies.map((b, i) => ({ seq: i + 1, sessionId: "s", agentId: "main", time: "2026-01-01T00:00:00Z", ...b }) as AgentEvent);
const started: AgentEventBody = { type: "session_started", task: "fix the bug", model: "m", cwd: "/w", system: "", tools: [] };
const call = (name: string, args: unknown, n: number): AgentEventBody => ({ type: "tool_started", callId: `c${n}`, name, args });
const result = (name: string, text: string, isError: boolean, n: number): AgentEventBody => ({ type: "tool_finished", callId: `c${n}`, name, content: [{ type: "text", text }], isError, durationMs: 1 });
const finished = (status: "completed" | "max_steps" | "error" | "aborted", steps: number, answer?: string): AgentEventBody => ({ type: "session_finished", status, steps, usage, costUsd: 0, durationMs: 10, ...(answer ? { answer } : {}) });
const failing = { status: "completed", reasons: ["hidden tests failed (exit 1)"] };

describe("self-diagnosis of failed runs (offline rules)", () => {
  it("environment: a tool found the machine lacking", () => {
    const d = diagnoseRun(failing, log(started, call("shell", { command: "pytest" }, 1), result("shell", "bash: pytest: command not found", true, 1), finished("completed", 2, "I could not run the tests.")));
    expect(d.cause).toBe("environment");
    expect(d.evidence).toEqual(["#3 tool_finished: shell: bash: pytest: command not found"]);
  });

  it("environment: the provider failed", () => {
    const d = diagnoseRun({ status: "error", reasons: [] }, log(started, { type: "model_error", error: { kind: "auth", message: "401 invalid key" } }, finished("error", 0)));
    expect(d).toEqual({ cause: "environment", evidence: ["#2 model_error: auth: 401 invalid key"] });
  });

  it("timeout: cut at the time limit, or out of steps", () => {
    expect(diagnoseRun({ ...failing, status: "aborted", timedOut: true }, log(started, finished("aborted", 7))).cause).toBe("timeout");
    const d = diagnoseRun({ ...failing, status: "max_steps" }, log(started, finished("max_steps", 30)));
    expect(d.cause).toBe("timeout");
    expect(d.evidence[0]).toBe("#2 session_finished: status max_steps after 30 steps");
  });

  it("lost the task after compaction: nothing done once the history was compacted", () => {
    const d = diagnoseRun(
      failing,
      log(
        started,
        call("read_file", { path: "a.py" }, 1),
        result("read_file", "...", false, 1),
        { type: "context_compacted", reason: "auto", dropped: 40, tokensBefore: 180000, tokensAfter: 9000 },
        call("read_file", { path: "README.md" }, 2),
        result("read_file", "...", false, 2),
        finished("completed", 12, "Here is a summary of the repository."),
      ),
    );
    expect(d.cause).toBe("lost_task_after_compaction");
    expect(d.evidence[0]).toBe("#4 context_compacted: compacted 40 messages (180000 → 9000 tokens)");
  });

  it("tool misuse: repeated failing calls", () => {
    const bodies: AgentEventBody[] = [started];
    for (let i = 0; i < 3; i++) bodies.push(call("edit_file", { path: "a.py" }, i), result("edit_file", "old_string not found in a.py", true, i));
    const d = diagnoseRun(failing, log(...bodies, finished("completed", 5, "Done.")));
    expect(d.cause).toBe("tool_misuse");
    expect(d.evidence).toHaveLength(3);
    expect(d.evidence[0]).toBe("#3 tool_finished: edit_file: old_string not found in a.py");
  });

  it("gave up early: says it cannot, or stops without trying", () => {
    const d = diagnoseRun(failing, log(started, call("read_file", { path: "a.py" }, 1), result("read_file", "...", false, 1), finished("completed", 2, "I am unable to fix this without more context.")));
    expect(d.cause).toBe("gave_up_early");
    expect(d.evidence[1]).toBe("answer: I am unable to fix this without more context.");
    expect(diagnoseRun(failing, log(started, finished("completed", 1, "Looks fine to me."))).cause).toBe("gave_up_early");
  });

  it("claimed success without evidence: says it is fixed, never ran anything after the edit", () => {
    const d = diagnoseRun(failing, log(started, call("edit_file", { path: "a.py" }, 1), result("edit_file", "edited", false, 1), finished("completed", 2, "Fixed: all tests pass now.")));
    expect(d.cause).toBe("claimed_success_without_evidence");
    expect(d.evidence).toEqual(["answer: Fixed: all tests pass now.", "#3 tool_finished: last edit, no test or command run after it", "checker: hidden tests failed (exit 1)"]);
  });

  it("a claim after running the tests is not 'without evidence': the result was just wrong", () => {
    const d = diagnoseRun(
      failing,
      log(started, call("edit_file", { path: "a.py" }, 1), result("edit_file", "edited", false, 1), call("shell", { command: "python3 -m pytest" }, 2), result("shell", "1 passed", false, 2), finished("completed", 3, "Fixed; tests pass.")),
    );
    expect(d).toEqual({ cause: "wrong_result", evidence: ["checker: hidden tests failed (exit 1)"] });
  });
});

describe("self-diagnosis by a model", () => {
  const events = log(started, call("edit_file", { path: "a.py" }, 1), result("edit_file", "old_string not found", true, 1), finished("completed", 2, "Done."));
  const rules = diagnoseRun(failing, events);

  it("takes the model's cause, with the log's own lines as evidence (scripted model)", async () => {
    const diagnose = modelDiagnoser(createScriptedModel({ steps: [{ text: "CAUSE tool_misuse: #3, #99" }] }));
    expect(await diagnose(failing, events, rules)).toEqual({ cause: "tool_misuse", evidence: ["#3 tool_finished: edit_file ERROR: old_string not found"] });
  });

  it("an answer that names no known cause or no real event leaves the rules' diagnosis", async () => {
    expect(await modelDiagnoser(createScriptedModel({ steps: [{ text: "CAUSE bad_luck: #3" }] }))(failing, events, rules)).toBeUndefined();
    expect(await modelDiagnoser(createScriptedModel({ steps: [{ text: "CAUSE tool_misuse: #42" }] }))(failing, events, rules)).toBeUndefined();
  });
});
