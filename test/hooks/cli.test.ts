import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { trustProject } from "../../src/config/trust.js";
import { cleanEnv, jsonEvents, runCli } from "../cli/cli-helpers.js";
import { claudeSettings, project } from "./hook-helpers.js";

function setup() {
  const root = project({
    ".claude/settings.json": claudeSettings({ PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "echo 'rm is off limits' >&2; exit 2" }] }] }),
  });
  const scenario = path.join(root, ".git", "scenario.json");
  writeFileSync(scenario, JSON.stringify({ steps: [{ toolCalls: [{ name: "shell", args: { command: "rm -rf build" } }] }, { text: "done" }] }));
  const env = cleanEnv();
  trustProject(env.COLLEAGUE_HOME!, root);
  return { root, model: `scripted:${scenario}`, env };
}

describe("hook events in the CLI's outputs", () => {
  it("stream-json prints the hook event as a line of its own", async () => {
    const { root, model, env } = setup();
    const out = await runCli(["run", "clean up", "--model", model, "--cwd", root, "--sandbox", "off", "--json"], { env });
    expect(out.code, out.stderr).toBe(0);
    const hook = jsonEvents(out.stdout).find((e) => e.type === "hook");
    expect(hook).toMatchObject({ event: "PreToolUse", decision: "deny", reason: "rm is off limits", matcher: "Bash" });
  });

  it("the terminal renderer prints one line for the denial", async () => {
    const { root, model, env } = setup();
    const out = await runCli(["run", "clean up", "--model", model, "--cwd", root, "--sandbox", "off"], { env });
    expect(out.code, out.stderr).toBe(0);
    const lines = out.stdout.split("\n").filter((l) => l.includes("⚑"));
    expect(lines).toEqual(["  ⚑ PreToolUse hook refused: rm is off limits (echo 'rm is off limits' >&2; exit 2)"]);
  });
});
