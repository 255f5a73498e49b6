import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { terminalApprover } from "../../src/policy/approver.js";
import { tempRepo } from "../helpers.js";
import { cleanEnv, jsonEvents, runCli } from "../cli/cli-helpers.js";

function scenarioFile(steps: unknown[]): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "colleague-sc-")), "s.json");
  writeFileSync(file, JSON.stringify({ steps }));
  return file;
}

describe("policy through the CLI", () => {
  it("without a terminal the default ask mode denies a command, says how to allow it, and audits it", async () => {
    const env = cleanEnv({ COLLEAGUE_PERMISSION_MODE: "" });
    const repo = tempRepo();
    const scenario = scenarioFile([
      { toolCalls: [{ name: "shell", args: { command: "echo hi > made.txt" } }] },
      { expect: { lastMessageIncludes: ["--permission-mode"] }, text: "it was not allowed" },
    ]);
    const out = await runCli(["run", "make a file", "--model", `scripted:${scenario}`, "--cwd", repo, "--json"], { env });
    expect(out.code).toBe(0);
    const decision = jsonEvents(out.stdout).find((e) => e.type === "permission_decision");
    expect(decision).toMatchObject({ decision: "deny", via: "approval" });
    const verify = await runCli(["audit", "verify"], { env });
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/intact: \d+ records/);
  });

  it("--permission-mode read-only denies edits even where config would allow them", async () => {
    const repo = tempRepo({ "colleague.json": JSON.stringify({ permissions: { allow: ["write: **"] } }) });
    const scenario = scenarioFile([
      { toolCalls: [{ name: "write_file", args: { path: "x.txt", content: "x" } }] },
      { expect: { lastMessageIncludes: ["read-only"] }, text: "read-only, as expected" },
    ]);
    const out = await runCli(["run", "write", "--model", `scripted:${scenario}`, "--cwd", repo, "--permission-mode", "read-only", "--json"], { env: cleanEnv() });
    expect(out.code).toBe(0);
    const events = jsonEvents(out.stdout);
    expect(events.find((e) => e.type === "permission_decision")).toMatchObject({ decision: "deny", via: "mode" });
    expect(events.find((e) => e.type === "tool_finished")).toMatchObject({ name: "write_file", isError: true });
    expect(existsSync(path.join(repo, "x.txt"))).toBe(false);
  });

  it("the terminal approver shows the preview and maps y / a / n / other words to once / session / deny / deny with a reason", async () => {
    const answers: unknown[] = [];
    let shown = "";
    for (const typed of ["y\n", "a\n", "\n", "n\n", "use the staging db instead\n"]) {
      const input = new PassThrough();
      const output = new PassThrough();
      output.on("data", (chunk: Buffer) => {
        shown += chunk.toString();
      });
      const approver = terminalApprover(input, output);
      const pending = approver.ask({ callId: "c", tool: "shell", summary: "make", reason: "ask mode", preview: "make -j4 all" });
      input.write(typed);
      answers.push(await pending);
    }
    expect(answers).toEqual([
      { answer: "once" },
      { answer: "session" },
      { answer: "deny" },
      { answer: "deny" },
      { answer: "deny", reason: "use the staging db instead" },
    ]);
    expect(shown).toContain("│ make -j4 all");
    // A forced ask (a monitor, no sandbox) offers no "always": "a" is then a denial with that word.
    const input = new PassThrough();
    const onceOnly = terminalApprover(input, new PassThrough()).ask({ callId: "c", tool: "shell", summary: "x", reason: "r", onceOnly: true });
    input.write("a\n");
    expect(await onceOnly).toEqual({ answer: "deny", reason: "a" });
  });
});
