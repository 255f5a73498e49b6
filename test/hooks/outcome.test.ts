import { describe, expect, it } from "vitest";
import { hookLine } from "../../src/hooks/event-line.js";
import { combineOutcomes, readOutcome } from "../../src/hooks/outcome.js";
import { fitInput, splitHookOutput } from "../../src/hooks/run-command.js";
import { claudeToolInput, claudeToolName, colleagueToolArgs } from "../../src/hooks/tool-names.js";
import { matches } from "../../src/hooks/user-hooks.js";

const run = (exitCode: number | null, stdout = "", stderr = "", timedOut = false) => ({ exitCode, stdout, stderr, timedOut, durationMs: 1 });

describe("reading a hook's answer (Claude Code's contract)", () => {
  it("exit 2 blocks with stderr where there is something to block, and is only an error elsewhere", () => {
    expect(readOutcome("PreToolUse", run(2, "", "no rm"), 60)).toEqual({ block: "no rm" });
    expect(readOutcome("Stop", run(2, "", "keep going"), 60)).toEqual({ block: "keep going" });
    expect(readOutcome("SessionStart", run(2, "", "broken"), 60)).toEqual({ error: "broken" });
    expect(readOutcome("Notification", run(2, "", "x"), 60)).toEqual({ error: "x" });
  });

  it("other exit codes and timeouts are non-blocking errors", () => {
    expect(readOutcome("PreToolUse", run(1, "", "oops"), 60)).toEqual({ error: "exited with code 1: oops" });
    expect(readOutcome("PreToolUse", run(null, "", "", true), 5)).toEqual({ error: "timed out after 5s" });
  });

  it("plain stdout is context only for UserPromptSubmit and SessionStart", () => {
    expect(readOutcome("UserPromptSubmit", run(0, "today is Friday\n"), 60)).toEqual({ context: "today is Friday" });
    expect(readOutcome("PreToolUse", run(0, "just chatter\n"), 60)).toEqual({});
  });

  it("reads the JSON fields: continue/stopReason, systemMessage, decision/reason, hookSpecificOutput", () => {
    const json = (value: unknown) => run(0, JSON.stringify(value));
    expect(readOutcome("PostToolUse", json({ continue: false, stopReason: "enough", systemMessage: "bye" }), 60)).toEqual({ stop: "enough", message: "bye" });
    expect(readOutcome("Stop", json({ decision: "block", reason: "tests first" }), 60)).toEqual({ block: "tests first" });
    expect(
      readOutcome("PreToolUse", json({ hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: "allow", permissionDecisionReason: "ok", updatedInput: { command: "ls" } } }), 60),
    ).toEqual({ permission: "allow", permissionReason: "ok", updatedInput: { command: "ls" } });
    expect(readOutcome("PreToolUse", json({ hookSpecificOutput: { permissionDecision: "deny", permissionDecisionReason: "nope" } }), 60)).toEqual({ block: "nope" });
    expect(readOutcome("PreToolUse", json({ decision: "approve", reason: "old style" }), 60)).toEqual({ permission: "allow", permissionReason: "old style" });
    expect(readOutcome("PostToolUse", json({ hookSpecificOutput: { additionalContext: "lint ok" } }), 60)).toEqual({ context: "lint ok" });
    expect(readOutcome("PreToolUse", json({ suppressOutput: true }), 60)).toEqual({ suppressOutput: true });
  });

  it("combines parallel answers: deny over ask over allow, texts joined", () => {
    expect(combineOutcomes([{ permission: "allow" }, { permission: "ask", permissionReason: "careful" }])).toEqual({ permission: "ask", permissionReason: "careful" });
    expect(combineOutcomes([{ permission: "allow" }, { block: "no" }, { context: "a" }, { context: "b" }])).toEqual({ permission: "allow", block: "no", context: "a\nb" });
  });
});

describe("matchers and Claude Code's tool names", () => {
  it("matches exact names, alternatives, regexes and everything", () => {
    expect(matches("Bash", ["shell", "Bash"])).toBe(true);
    expect(matches("Edit|Write", ["write_file", "Write"])).toBe(true);
    expect(matches("Bash", ["BashOutput"])).toBe(false);
    expect(matches("mcp__github__.*", ["mcp__github__create_issue"])).toBe(true);
    expect(matches("", ["anything"])).toBe(true);
    expect(matches("*", ["anything"])).toBe(true);
    expect(matches("(", ["x"])).toBe(false);
  });

  it("maps tools and inputs both ways; unknown and MCP tools keep theirs", () => {
    expect(claudeToolName("shell")).toBe("Bash");
    expect(claudeToolName("mcp__fs__read")).toBe("mcp__fs__read");
    expect(claudeToolInput("write_file", { path: "a/b.txt", content: "x" }, "/ws")).toEqual({ file_path: "/ws/a/b.txt", content: "x" });
    expect(claudeToolInput("shell", { command: "ls", timeout_ms: 5 }, "/ws")).toEqual({ command: "ls", timeout: 5 });
    expect(colleagueToolArgs("edit_file", { path: "a", old_string: "x", new_string: "y" }, { file_path: "/ws/a", old_string: "x", new_string: "z" })).toEqual({
      path: "/ws/a",
      old_string: "x",
      new_string: "z",
    });
  });
});

describe("the wrapped command's output", () => {
  it("splits marked stderr lines from stdout, even when stdout had no newline", () => {
    expect(splitHookOutput('{"a":1}\x1ferr one\n\x1ferr two\n')).toEqual({ stdout: '{"a":1}\n', stderr: "err one\nerr two" });
    expect(splitHookOutput("line\n")).toEqual({ stdout: "line\n", stderr: "" });
  });

  it("shortens the longest strings of a payload that would not fit one environment variable", () => {
    const json = fitInput({ tool_response: { stdout: "x".repeat(500_000) }, tool_name: "Bash" });
    expect(json.length).toBeLessThan(100 * 1024);
    expect(JSON.parse(json)).toMatchObject({ tool_name: "Bash", tool_response: { stdout: expect.stringContaining("characters cut") } });
  });

  it("a refusal or failure is one line for the terminal; a quiet pass is none", () => {
    const base = { type: "hook" as const, seq: 1, sessionId: "s", agentId: "main", time: "", event: "PreToolUse", command: "./no-rm.sh", exitCode: 2, durationMs: 3, source: "f" };
    expect(hookLine({ ...base, decision: "deny", reason: "no rm\nmore" })).toBe("⚑ PreToolUse hook refused: no rm (./no-rm.sh)");
    expect(hookLine({ ...base, decision: "none" })).toBeUndefined();
  });
});
