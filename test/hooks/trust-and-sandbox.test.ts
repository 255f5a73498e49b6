import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Host, type TrustQuestion } from "../../src/host/host.js";
import { probeSandboxBackends } from "../../src/policy/sandbox/index.js";
import { tempRepo } from "../helpers.js";
import { describeIfAvailable } from "../requires.js";
import { claudeSettings, hookEvents, newHome, project, recordingModel, runWithHooks } from "./hook-helpers.js";

const blockEverything = () =>
  project({
    ".claude/settings.json": claudeSettings({ PreToolUse: [{ hooks: [{ type: "command", command: "echo 'project hook says no' >&2; exit 2" }] }] }),
    "colleague.json": JSON.stringify({ hooks: { Stop: [{ hooks: [{ type: "command", command: "touch stop-ran" }] }] } }),
  });

const writeOnce = () => recordingModel([{ toolCalls: [{ name: "write_file", args: { path: "made.txt", content: "x" } }] }, { text: "done" }]);

describe("project hooks and trust", () => {
  it("an untrusted project's hooks do not run, and one line says so for each kind of file", async () => {
    const root = blockEverything();
    const { model } = writeOnce();
    const { events, notices } = await runWithHooks(root, { model }, { trust: false });
    expect(existsSync(path.join(root, "made.txt"))).toBe(true);
    expect(existsSync(path.join(root, "stop-ran"))).toBe(false);
    expect(hookEvents(events)).toEqual([]);
    expect(notices).toContainEqual(expect.stringMatching(/hooks in .*\.claude\/settings\.json do not run: this project is not trusted \(colleague trust add /));
    expect(notices).toContainEqual(expect.stringMatching(/ignored hooks \(.*colleague\.json\)/));
  });

  it("a trusted project's hooks run: from .claude/settings.json and from colleague.json", async () => {
    const root = blockEverything();
    const { model } = writeOnce();
    const { events } = await runWithHooks(root, { model });
    expect(existsSync(path.join(root, "made.txt"))).toBe(false);
    expect(existsSync(path.join(root, "stop-ran"))).toBe(true);
    expect(hookEvents(events).map((h) => h.event)).toEqual(["PreToolUse", "Stop"]);
  });

  it("the trust question, asked once, names the .claude settings that carry hooks", async () => {
    const root = blockEverything();
    const asked: TrustQuestion[] = [];
    const host = new Host({ home: newHome(), store: ":memory:", askTrust: async (q) => {
        asked.push(q);
        return true;
      },
    });
    await host.settleTrust(root);
    await host.settleTrust(root);
    host.close();
    expect(asked).toHaveLength(1);
    expect(asked[0]!.settings).toEqual([
      { file: path.join(root, "colleague.json"), keys: ["hooks"] },
      { file: path.join(root, ".claude", "settings.json"), keys: ["hooks"] },
    ]);
  });

  it("the user's own hooks (~/.claude/settings.json) run without any trust question", async () => {
    const root = project({});
    const userHome = tempRepo({ ".claude/settings.json": claudeSettings({ PreToolUse: [{ matcher: "Write", hooks: [{ type: "command", command: "echo 'user says no' >&2; exit 2" }] }] }) });
    const { model } = writeOnce();
    const { events } = await runWithHooks(root, { model }, { trust: false, host: { env: { ...process.env, HOME: userHome } } });
    expect(existsSync(path.join(root, "made.txt"))).toBe(false);
    expect(hookEvents(events)[0]).toMatchObject({ decision: "deny", reason: "user says no", source: path.join(userHome, ".claude", "settings.json") });
  });

  it("a broken .claude/settings.json is one notice, and the session goes on", async () => {
    const root = project({ ".claude/settings.json": '{ "hooks": { "PreToolUse": "not a list" } }' });
    const { model } = writeOnce();
    const { result, notices } = await runWithHooks(root, { model });
    expect(result.status).toBe("completed");
    expect(notices).toContainEqual(expect.stringMatching(/hooks in .*settings\.json were not loaded: .*hooks\.PreToolUse/));
  });
});

const bubblewrap = probeSandboxBackends().find((b) => b.backend === "bubblewrap");

describeIfAvailable("hooks in the sandbox", bubblewrap?.ok ? undefined : `bubblewrap does not work here: ${bubblewrap?.reason ?? "not probed"}`, () => {
  it("a hook cannot write outside the workspace, and can write inside it", async () => {
    const outside = tempRepo();
    mkdirSync(path.join(outside, "target"), { recursive: true });
    const victim = path.join(outside, "target", "pwned");
    const root = project({
      ".claude/settings.json": claudeSettings({
        PreToolUse: [{ hooks: [{ type: "command", command: `echo pwned > '${victim}' 2>/dev/null; echo inside > "$CLAUDE_PROJECT_DIR/inside.txt"; exit 0` }] }],
      }),
    });
    const { model } = writeOnce();
    const { result } = await runWithHooks(root, { model, sandbox: "on" });
    expect(result.status).toBe("completed");
    expect(existsSync(path.join(root, "inside.txt"))).toBe(true);
    expect(existsSync(victim)).toBe(false);
    // The same hook with the sandbox off does write there: the check above is the sandbox's doing.
    await runWithHooks(root, { model: writeOnce().model, sandbox: "off" });
    expect(existsSync(victim)).toBe(true);
  });
});
