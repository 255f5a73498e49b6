import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ApprovalRequest } from "../../src/policy/approver.js";
import { claudeSettings, hookEvents, project, recordingModel, requestText, runWithHooks } from "./hook-helpers.js";

// Written the way Claude Code's users write them: bash reading stdin, python for the JSON (no jq).
const NO_RM_EXIT_2 = `#!/bin/bash
input=$(cat)
command=$(printf '%s' "$input" | python3 -c 'import json,sys
d=json.load(sys.stdin)
print(d["tool_input"].get("command","") if d["tool_name"]=="Bash" else "")')
if [[ "$command" =~ (^|[[:space:];&|])rm[[:space:]] ]]; then
  echo "Blocked: rm is not allowed in this project ($command)" >&2
  exit 2
fi
exit 0
`;

const NO_RM_JSON = `#!/usr/bin/env node
let raw = "";
process.stdin.on("data", (d) => (raw += d)).on("end", () => {
  const input = JSON.parse(raw);
  if (input.tool_name === "Bash" && /(^|\\s)rm\\s/.test(input.tool_input.command)) {
    console.log(JSON.stringify({
      hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: "deny", permissionDecisionReason: "use trash-cli, never rm" },
    }));
  }
});
`;

const rmScenario = () =>
  recordingModel([
    { toolCalls: [{ name: "shell", args: { command: "rm keep.txt" } }] },
    { toolCalls: [{ name: "shell", args: { command: "echo ok > made.txt" } }] },
    { text: "done" },
  ]);

describe("a PreToolUse hook from .claude/settings.json", () => {
  it("blocks rm with exit 2: the file stays, the model reads the stderr reason, other commands run", async () => {
    const root = project({
      "keep.txt": "precious",
      ".claude/hooks/no-rm.sh": NO_RM_EXIT_2,
      ".claude/settings.json": claudeSettings({
        PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: '"$CLAUDE_PROJECT_DIR"/.claude/hooks/no-rm.sh' }] }],
      }),
    });
    const { model, requests } = rmScenario();
    const { events, result } = await runWithHooks(root, { model });
    expect(result.status).toBe("completed");
    expect(readFileSync(path.join(root, "keep.txt"), "utf8")).toBe("precious");
    expect(readFileSync(path.join(root, "made.txt"), "utf8")).toBe("ok\n");
    expect(requestText(requests[1]!)).toContain("Blocked: rm is not allowed in this project (rm keep.txt)");
    const hooks = hookEvents(events);
    expect(hooks.map((h) => [h.event, h.decision, h.exitCode])).toEqual([
      ["PreToolUse", "deny", 2],
      ["PreToolUse", "none", 0],
    ]);
    expect(hooks[0]).toMatchObject({ matcher: "Bash", callId: "call_0_0", source: path.join(root, ".claude", "settings.json") });
    // Recorded before the call's result, like every decision.
    const order = events.map((e) => e.type);
    expect(order.indexOf("hook")).toBeLessThan(order.indexOf("tool_finished"));
  });

  it("blocks rm with a JSON deny on exit 0 (a node script), and the reason reaches the model", async () => {
    const root = project({
      "keep.txt": "precious",
      ".claude/hooks/no-rm.js": NO_RM_JSON,
      ".claude/settings.json": claudeSettings({
        PreToolUse: [{ matcher: "Bash|Edit|Write", hooks: [{ type: "command", command: "node .claude/hooks/no-rm.js" }] }],
      }),
    });
    const { model, requests } = rmScenario();
    const { events } = await runWithHooks(root, { model });
    expect(existsSync(path.join(root, "keep.txt"))).toBe(true);
    expect(existsSync(path.join(root, "made.txt"))).toBe(true);
    expect(requestText(requests[1]!)).toContain("use trash-cli, never rm");
    expect(hookEvents(events)[0]).toMatchObject({ decision: "deny", reason: "use trash-cli, never rm", exitCode: 0 });
  });

  it("gets Claude Code's names and shapes: Edit with an absolute file_path, and matchers on either name", async () => {
    const root = project({
      "a.txt": "one",
      ".claude/hooks/log.sh": '#!/bin/bash\ncat >> "$CLAUDE_PROJECT_DIR/seen.jsonl"\necho >> "$CLAUDE_PROJECT_DIR/seen.jsonl"\n',
      ".claude/settings.json": claudeSettings({
        PreToolUse: [
          { matcher: "Edit", hooks: [{ type: "command", command: ".claude/hooks/log.sh" }] },
          // colleague's own name matches too; the same command configured twice runs once.
          { matcher: "edit_file", hooks: [{ type: "command", command: ".claude/hooks/log.sh" }] },
        ],
      }),
    });
    const { model } = recordingModel([{ toolCalls: [{ name: "edit_file", args: { path: "a.txt", old_string: "one", new_string: "two" } }] }, { text: "done" }]);
    const { result } = await runWithHooks(root, { model });
    expect(result.status).toBe("completed");
    const seen = readFileSync(path.join(root, "seen.jsonl"), "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      hook_event_name: "PreToolUse",
      tool_name: "Edit",
      tool_input: { file_path: path.join(root, "a.txt"), old_string: "one", new_string: "two" },
      tool_use_id: "call_0_0",
      cwd: root,
      permission_mode: "full-auto",
      session_id: result.sessionId,
    });
  });

  it("rewrites the call with updatedInput, and the permission check sees the rewritten call", async () => {
    const root = project({
      ".claude/hooks/rewrite.py": `#!/usr/bin/env python3
import json, sys
d = json.load(sys.stdin)
cmd = d["tool_input"]["command"].replace("first", "second")
print(json.dumps({"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "allow", "updatedInput": {"command": cmd}}}))
`,
      ".claude/settings.json": claudeSettings({ PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "python3 .claude/hooks/rewrite.py" }] }] }),
    });
    const { model } = recordingModel([{ toolCalls: [{ name: "shell", args: { command: "echo first > out.txt" } }] }, { text: "done" }]);
    await runWithHooks(root, { model });
    expect(readFileSync(path.join(root, "out.txt"), "utf8")).toBe("second\n");
  });
});

describe("a hook's allow and ask against colleague's permissions", () => {
  const allowAll = (root: string) =>
    project({
      ...(root ? {} : {}),
      ".claude/settings.json": claudeSettings({
        PreToolUse: [
          {
            matcher: "*",
            hooks: [{ type: "command", command: `echo '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow","permissionDecisionReason":"CI script says ok"}}'` }],
          },
        ],
      }),
    });

  it("allow skips the prompt the permission mode asked for (nobody to ask here, yet the command runs)", async () => {
    const root = allowAll("");
    const { model } = recordingModel([{ toolCalls: [{ name: "shell", args: { command: "echo hi > hi.txt" } }] }, { text: "done" }]);
    const { events } = await runWithHooks(root, { model, permissionMode: "ask" });
    expect(existsSync(path.join(root, "hi.txt"))).toBe(true);
    expect(events.find((e) => e.type === "permission_decision")).toMatchObject({ decision: "allow", via: "hook" });
  });

  it("allow never overrides a deny rule", async () => {
    const root = allowAll("");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(path.join(root, "colleague.json"), JSON.stringify({ permissions: { deny: ["shell: echo *"] } }));
    const { model } = recordingModel([{ toolCalls: [{ name: "shell", args: { command: "echo hi > hi.txt" } }] }, { text: "done" }]);
    const { events } = await runWithHooks(root, { model, permissionMode: "ask" });
    expect(existsSync(path.join(root, "hi.txt"))).toBe(false);
    expect(events.find((e) => e.type === "permission_decision")).toMatchObject({ decision: "deny", via: "rule" });
  });

  it("ask makes the person decide even in full-auto, and Notification hooks hear about it", async () => {
    const root = project({
      ".claude/settings.json": claudeSettings({
        PreToolUse: [{ hooks: [{ type: "command", command: `echo '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"ask","permissionDecisionReason":"deploys need a human"}}'` }] }],
        Notification: [{ hooks: [{ type: "command", command: 'cat > "$CLAUDE_PROJECT_DIR/notified.json"' }] }],
      }),
    });
    const asked: ApprovalRequest[] = [];
    const { model } = recordingModel([{ toolCalls: [{ name: "shell", args: { command: "echo deploy > d.txt" } }] }, { text: "done" }]);
    const { events } = await runWithHooks(root, { model }, { host: { approver: { ask: async (r) => {
            asked.push(r);
            return "deny";
          },
        }, interactive: true } });
    expect(asked).toHaveLength(1);
    expect(asked[0]!.reason).toContain("deploys need a human");
    expect(existsSync(path.join(root, "d.txt"))).toBe(false);
    const notified = hookEvents(events).find((h) => h.event === "Notification");
    expect(notified).toBeDefined();
    const payload = JSON.parse(readFileSync(path.join(root, "notified.json"), "utf8"));
    expect(payload).toMatchObject({ hook_event_name: "Notification", notification_type: "permission_prompt", message: expect.stringContaining("Bash") });
  });
});
