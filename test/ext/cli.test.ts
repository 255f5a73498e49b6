import path from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, jsonEvents, runCli } from "../cli/cli-helpers.js";
import { tempRepo } from "../helpers.js";
import { scenarioFile } from "./ext-helpers.js";

describe("the CLI with commands and subagents", () => {
  it('`colleague run "/name args"` runs the custom command', async () => {
    const ws = tempRepo({ ".git/HEAD": "", ".colleague/commands/fix.md": "---\ndescription: Fix an issue\n---\nFix issue #$ARGUMENTS and add a test.\n" });
    const model = scenarioFile(ws, "s.json", { steps: [{ expect: { lastMessageIncludes: ["Fix issue #123 and add a test."] }, text: "fixed" }] });
    const out = await runCli(["run", "/fix 123", "--model", model, "--cwd", ws, "--sandbox", "off", "--json"], { env: cleanEnv({ HOME: tempRepo() }) });
    expect(out.code, out.stderr).toBe(0);
    expect(jsonEvents(out.stdout).find((e) => e.type === "session_finished")).toMatchObject({ status: "completed", answer: "fixed" });
  });

  it("`colleague show` presents a subagent's run under the task call that started it", async () => {
    const ws = tempRepo({ ".git/HEAD": "", "a.txt": "alpha\n" });
    const child = scenarioFile(ws, "child.json", { steps: [{ toolCalls: [{ name: "read_file", args: { path: "a.txt" } }] }, { text: "CHILD-REPORT: a.txt says alpha" }] });
    const { mkdirSync, writeFileSync } = await import("node:fs");
    mkdirSync(path.join(ws, ".claude/agents"), { recursive: true });
    writeFileSync(path.join(ws, ".claude/agents/reader.md"), `---\nname: reader\ndescription: Reads files\nmodel: ${child}\ntools: Read\n---\nYou read files and report.\n`);
    const parent = scenarioFile(ws, "parent.json", {
      steps: [
        { toolCalls: [{ name: "task", args: { description: "read a.txt", prompt: "What does a.txt say?", subagent_type: "reader" } }] },
        { expect: { lastMessageIncludes: ["CHILD-REPORT"] }, text: "a.txt says alpha" },
      ],
    });
    const env = cleanEnv({ HOME: tempRepo() });
    const run = await runCli(["run", "ask the reader", "--model", parent, "--cwd", ws, "--sandbox", "off", "--json"], { env });
    expect(run.code, run.stderr).toBe(0);
    const id = jsonEvents(run.stdout)[0]!.sessionId;
    const show = await runCli(["show", id], { env });
    expect(show.code, show.stderr).toBe(0);
    const lines = show.stdout.split("\n");
    const childLine = lines.findIndex((l) => l.includes("│") && l.includes("CHILD-REPORT"));
    // The call names the subagent; its result (the child's report) closes the indented block.
    expect(lines.find((l) => l.startsWith("⏺ task"))).toBe("⏺ task reader: read a.txt");
    const taskDone = lines.findIndex((l, i) => i > childLine && !l.includes("│") && /✓ CHILD-REPORT/.test(l));
    expect(childLine, show.stdout).toBeGreaterThan(0);
    expect(taskDone, show.stdout).toBeGreaterThan(childLine);
    expect(lines.some((l) => l.includes("│") && l.includes("read_file"))).toBe(true);
  });
});
