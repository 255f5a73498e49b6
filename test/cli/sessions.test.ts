import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, jsonEvents, runCli, scenarioFile, startCli } from "./cli-helpers.js";

const workspace = () => mkdtempSync(path.join(os.tmpdir(), "colleague-sessions-"));

const scenario = {
  steps: [
    { thinking: "The user wants a file listing; list is the tool.", text: "Let me look at the folder.", toolCalls: [{ name: "list", args: { path: "." } }] },
    { text: "The folder is empty, so there is nothing to fix.\nFINAL-ANSWER-MARK" },
  ],
};

async function sessionIdOf(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  const out = await runCli([...args, "--output-format", "json"], { env, cwd });
  expect(out.code).toBe(0);
  return (JSON.parse(out.stdout) as { session_id: string }).session_id;
}

describe("colleague show", () => {
  it("replays the whole conversation: task, assistant text, tool calls and the final answer; thinking with --thinking", async () => {
    const env = cleanEnv();
    const model = `scripted:${scenarioFile(scenario)}`;
    const id = await sessionIdOf(["-p", "check the folder", "--model", model], env, workspace());
    const shown = await runCli(["show", id], { env });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain("› check the folder");
    expect(shown.stdout).toContain("Let me look at the folder.");
    expect(shown.stdout).toContain("⏺ list .");
    expect(shown.stdout).toContain("The folder is empty, so there is nothing to fix.\nFINAL-ANSWER-MARK");
    expect(shown.stdout).toMatch(/✓ completed · 2 steps/);
    expect(shown.stdout).not.toContain("list is the tool");
    const thinking = await runCli(["show", id, "--thinking"], { env });
    expect(thinking.stdout).toContain("✻ The user wants a file listing; list is the tool.");
  });

  it("lists the candidates of an ambiguous prefix instead of saying there is no session", async () => {
    const env = cleanEnv();
    const model = `scripted:${scenarioFile(scenario)}`;
    const dir = workspace();
    const a = await sessionIdOf(["-p", "first task", "--model", model], env, dir);
    const b = await sessionIdOf(["-p", "second task", "--model", model], env, dir);
    let prefix = "";
    while (a[prefix.length] === b[prefix.length]) prefix += a[prefix.length];
    expect(prefix.length).toBeGreaterThan(0);
    const out = await runCli(["show", prefix], { env });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`"${prefix}" matches 2 sessions; give more of the id:`);
    expect(out.stderr).toContain(a);
    expect(out.stderr).toContain(b);
    expect(out.stderr).toContain("second task");
    const resumed = await runCli(["resume", prefix, "more"], { env });
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toContain("matches 2 sessions");
    const missing = await runCli(["show", "zzzz"], { env });
    expect(missing.stderr).toContain('no session "zzzz"');
  });

  it("names sessions with --name; show and resume take the name; sessions lists them by folder", async () => {
    const env = cleanEnv();
    const model = `scripted:${scenarioFile(scenario)}`;
    const [here, there] = [workspace(), workspace()];
    await sessionIdOf(["-p", "named task", "--model", model, "--name", "tidy-up"], env, here);
    await sessionIdOf(["-p", "other task", "--model", model], env, there);
    const shown = await runCli(["show", "tidy-up"], { env });
    expect(shown.stdout).toContain("› named task");
    const list = await runCli(["sessions"], { env });
    const lines = list.stdout.split("\n");
    const folders = lines.filter((l) => l.startsWith("/"));
    expect(folders).toEqual([there, here].map((d) => path.resolve(d)));
    expect(list.stdout).toMatch(/completed\s+2\s+.*tidy-up\s+named task/);
    const only = await runCli(["sessions", "--here"], { env, cwd: here });
    expect(only.stdout).toContain("named task");
    expect(only.stdout).not.toContain("other task");
  });
});

describe("a session whose process was killed", () => {
  it("shows as stopped, not running forever", async () => {
    const env = cleanEnv();
    // The second model step hangs for a minute: the process is killed while it waits.
    const model = `scripted:${scenarioFile({ steps: [{ text: "step one", toolCalls: [{ name: "list", args: { path: "." } }] }, { delayMs: 60_000, text: "never" }] })}`;
    const child = startCli(["run", "a long task", "--model", model, "--json", "--cwd", workspace()], { env });
    let stdout = "";
    const id = await new Promise<string>((resolve) => {
      child.stdout!.on("data", (d: Buffer) => {
        stdout += d;
        if (stdout.includes('"type":"tool_finished"')) resolve(jsonEvents(stdout.slice(0, stdout.lastIndexOf("\n")))[0]!.sessionId);
      });
    });
    const running = await runCli(["sessions", "--json"], { env });
    expect(JSON.parse(running.stdout.trim()) as { status: string; pid: number }).toMatchObject({ status: "running", pid: child.pid });
    child.kill("SIGKILL");
    await new Promise((r) => child.once("close", r));
    const list = await runCli(["sessions"], { env });
    expect(list.stdout).toMatch(new RegExp(`${id}\\s+stopped\\s`));
    const shown = await runCli(["show", id], { env });
    expect(shown.stdout).toContain(`■ stopped: its process is gone (killed?); continue it with colleague resume ${id}`);
  });
});
