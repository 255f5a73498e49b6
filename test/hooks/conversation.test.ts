import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { claudeSettings, hookEvents, project, recordingModel, requestText, runWithHooks } from "./hook-helpers.js";

const READ_STDIN_PY = "import json, sys\nd = json.load(sys.stdin)\n";

describe("hooks that talk to the model", () => {
  it("a PostToolUse hook's additionalContext reaches the model with the tool's result", async () => {
    const root = project({
      ".claude/hooks/lint.py": `#!/usr/bin/env python3
${READ_STDIN_PY}out = d["tool_response"]["stdout"].strip()
print(json.dumps({"hookSpecificOutput": {"hookEventName": "PostToolUse", "additionalContext": "lint: 2 warnings after " + d["tool_input"]["command"] + " printed " + out}}))
`,
      ".claude/settings.json": claudeSettings({ PostToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "python3 .claude/hooks/lint.py" }] }] }),
    });
    const { model, requests } = recordingModel([{ toolCalls: [{ name: "shell", args: { command: "echo built" } }] }, { text: "done" }]);
    const { events } = await runWithHooks(root, { model });
    const toolResult = requests[1]!.find((m) => m.role === "tool")!;
    expect(requestText([toolResult])).toContain("lint: 2 warnings after echo built printed built");
    expect(hookEvents(events)).toEqual([expect.objectContaining({ event: "PostToolUse", decision: "context" })]);
  });

  it("a PostToolUse exit 2 feeds stderr to the model; a blocked call runs no PostToolUse", async () => {
    const root = project({
      ".claude/settings.json": claudeSettings({
        PreToolUse: [{ matcher: "Write", hooks: [{ type: "command", command: "echo 'no writes' >&2; exit 2" }] }],
        PostToolUse: [{ hooks: [{ type: "command", command: "echo 'tests failed after this change' >&2; exit 2" }] }],
      }),
    });
    const { model, requests } = recordingModel([
      { toolCalls: [{ name: "write_file", args: { path: "x.txt", content: "x" } }, { name: "shell", args: { command: "echo hi" } }] },
      { text: "done" },
    ]);
    const { events } = await runWithHooks(root, { model });
    expect(requestText(requests[1]!)).toContain("PostToolUse hook feedback:\ntests failed after this change");
    expect(hookEvents(events).map((h) => [h.event, h.decision])).toEqual([
      ["PreToolUse", "deny"],
      ["PostToolUse", "block"],
    ]);
  });

  it("a UserPromptSubmit hook adds context to the task (plain stdout), recorded as a hook message", async () => {
    const root = project({
      ".claude/settings.json": claudeSettings({ UserPromptSubmit: [{ hooks: [{ type: "command", command: "echo \"branch: main; prompt was $(python3 -c 'import json,sys; print(json.load(sys.stdin)[\"prompt\"])')\"" }] }] }),
    });
    const { model, requests } = recordingModel([{ text: "done" }]);
    const { events } = await runWithHooks(root, { model, task: "fix the bug" });
    expect(requestText(requests[0]!)).toContain("branch: main; prompt was fix the bug");
    expect(events.find((e) => e.type === "user_message" && e.kind === "hook")).toBeDefined();
  });

  it("a UserPromptSubmit exit 2 refuses the prompt before the model sees it", async () => {
    const root = project({
      ".claude/settings.json": claudeSettings({ UserPromptSubmit: [{ hooks: [{ type: "command", command: "echo 'no secrets in prompts' >&2; exit 2" }] }] }),
    });
    const { model, requests } = recordingModel([{ text: "done" }]);
    const { result } = await runWithHooks(root, { model, task: "here is my password" });
    expect(result.status).toBe("refused");
    expect(result.error).toContain("no secrets in prompts");
    expect(requests).toHaveLength(0);
  });

  it("a Stop hook's block makes the loop continue once (the script checks stop_hook_active)", async () => {
    const root = project({
      ".claude/hooks/tests-first.py": `#!/usr/bin/env python3
${READ_STDIN_PY}if not d["stop_hook_active"]:
    print(json.dumps({"decision": "block", "reason": "run the tests before you stop"}))
`,
      ".claude/settings.json": claudeSettings({ Stop: [{ hooks: [{ type: "command", command: "python3 .claude/hooks/tests-first.py" }] }] }),
    });
    const { model, requests } = recordingModel([{ text: "all done" }, { text: "finished now" }, { text: "never reached" }]);
    const { result, events } = await runWithHooks(root, { model });
    expect(result).toMatchObject({ status: "completed", answer: "finished now" });
    expect(requests).toHaveLength(2);
    expect(requestText(requests[1]!)).toContain("run the tests before you stop");
    expect(hookEvents(events).map((h) => [h.event, h.decision])).toEqual([
      ["Stop", "block"],
      ["Stop", "none"],
    ]);
  });

  it("SessionStart context joins the conversation; SessionEnd hears the end", async () => {
    const root = project({
      ".claude/settings.json": claudeSettings({
        SessionStart: [{ matcher: "startup", hooks: [{ type: "command", command: `echo '{"hookSpecificOutput":{"hookEventName":"SessionStart","additionalContext":"open issues: 3"}}'` }] }],
        SessionEnd: [{ hooks: [{ type: "command", command: 'cat > "$COLLEAGUE_PROJECT_DIR/end.json"' }] }],
      }),
    });
    const { model, requests } = recordingModel([{ text: "done" }]);
    const { result } = await runWithHooks(root, { model });
    expect(requestText(requests[0]!)).toContain("open issues: 3");
    expect(JSON.parse(readFileSync(path.join(root, "end.json"), "utf8"))).toMatchObject({ hook_event_name: "SessionEnd", session_id: result.sessionId, reason: "other" });
  });
});

describe("PreCompact", () => {
  it("runs before the context engine compacts, with the trigger, and the compaction goes on", async () => {
    const root = project({
      ".claude/settings.json": claudeSettings({ PreCompact: [{ matcher: "manual", hooks: [{ type: "command", command: 'cat > "$CLAUDE_PROJECT_DIR/precompact.json"' }] }] }),
    });
    const { model } = recordingModel([
      { toolCalls: [{ name: "list", args: {} }] },
      { toolCalls: [{ name: "list", args: {} }] },
      { text: "done" },
    ]);
    const { events } = await runWithHooks(root, { model }, { handles: { onContextEngine: (engine) => engine.requestCompaction() } });
    const order = events.map((e) => (e.type === "hook" ? e.event : e.type));
    expect(order.indexOf("PreCompact")).toBeGreaterThan(-1);
    expect(order.indexOf("PreCompact")).toBeLessThan(order.indexOf("context_compacted"));
    expect(JSON.parse(readFileSync(path.join(root, "precompact.json"), "utf8"))).toMatchObject({ hook_event_name: "PreCompact", trigger: "manual" });
  });
});

describe("a hook that fails", () => {
  it("a hook past its timeout is killed, recorded as an error, and blocks nothing", async () => {
    const root = project({
      ".claude/settings.json": claudeSettings({ PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "sleep 30; exit 2", timeout: 1 }] }] }),
    });
    const { model } = recordingModel([{ toolCalls: [{ name: "shell", args: { command: "echo ran > ran.txt" } }] }, { text: "done" }]);
    const { events, live } = await runWithHooks(root, { model });
    expect(readFileSync(path.join(root, "ran.txt"), "utf8")).toBe("ran\n");
    expect(hookEvents(events)[0]).toMatchObject({ event: "PreToolUse", decision: "error", reason: "timed out after 1s", exitCode: null });
    // Faces hear it while the session runs, too.
    expect(hookEvents(live)).toHaveLength(1);
  });

  it("an exit code other than 0 and 2 is an error the user sees; the call goes on", async () => {
    const root = project({
      ".claude/settings.json": claudeSettings({ PreToolUse: [{ hooks: [{ type: "command", command: "echo oops >&2; exit 1" }] }] }),
    });
    const { model } = recordingModel([{ toolCalls: [{ name: "shell", args: { command: "echo ran > ran.txt" } }] }, { text: "done" }]);
    const { events } = await runWithHooks(root, { model });
    expect(readFileSync(path.join(root, "ran.txt"), "utf8")).toBe("ran\n");
    expect(hookEvents(events)[0]).toMatchObject({ decision: "error", reason: "exited with code 1: oops" });
  });
});
