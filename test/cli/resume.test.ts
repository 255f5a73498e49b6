import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import type { AgentEvent } from "../../src/agent/events.js";
import { cleanEnv, jsonEvents, runCli, startCli } from "./cli-helpers.js";
import { withoutPartNotices } from "../helpers.js";

/** Resolves with the events seen so far once `until` matches one. */
function waitForEvent(child: ReturnType<typeof startCli>, until: (e: AgentEvent) => boolean): Promise<AgentEvent[]> {
  return new Promise((resolve, reject) => {
    const seen: AgentEvent[] = [];
    let buffer = "";
    child.stdout!.on("data", (d: Buffer) => {
      buffer += d;
      let newline = buffer.indexOf("\n");
      while (newline >= 0) {
        const event = JSON.parse(buffer.slice(0, newline)) as AgentEvent;
        buffer = buffer.slice(newline + 1);
        seen.push(event);
        if (until(event)) resolve(seen);
        newline = buffer.indexOf("\n");
      }
    });
    child.on("exit", (code) => reject(new Error(`exited (${code}) before the awaited event`)));
  });
}

describe("a session killed with SIGKILL", () => {
  it("resumes mid long shell call and finishes; every tool call is finished exactly once", async () => {
    // The scenario sits beside the workspace, not in it; both go when the test ends.
    const root = mkdtempSync(path.join(os.tmpdir(), "colleague-kill-"));
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    const repo = path.join(root, "repo");
    mkdirSync(repo);
    const scenario = path.join(root, "scenario.json");
    writeFileSync(
      scenario,
      JSON.stringify({
        steps: [
          { toolCalls: [{ name: "write_file", args: { path: "before.txt", content: "written before the kill" } }] },
          { toolCalls: [{ name: "shell", args: { command: "sleep 20 && echo late > late.txt" } }] },
          {
            expect: { lastMessageIncludes: ["stopped while shell was running"] },
            text: "The long command was cut off; running a shorter check instead.",
            toolCalls: [{ name: "shell", args: { command: "echo resumed > after.txt" } }],
          },
          { expect: { toolResultsOk: true }, text: "finished after the resume" },
        ],
      }),
    );
    const env = cleanEnv();
    const child = startCli(["run", "long task", "--model", `scripted:${scenario}`, "--cwd", repo, "--json"], { env });
    const seen = await waitForEvent(child, (e) => e.type === "tool_started" && e.name === "shell");
    await new Promise((r) => setTimeout(r, 300)); // well inside the shell call
    child.kill("SIGKILL");
    await new Promise((r) => child.on("close", r));
    const sessionId = seen[0]!.sessionId;

    const resumed = await runCli(["resume", sessionId.slice(0, 10), "--json"], { env });
    expect(withoutPartNotices(resumed.stderr)).toBe("");
    expect(resumed.code).toBe(0);
    const after = jsonEvents(resumed.stdout);
    expect(after[0]).toMatchObject({ type: "session_resumed", step: 2 });
    expect(after.at(-1)).toMatchObject({ type: "session_finished", status: "completed", answer: "finished after the resume" });
    expect(readFileSync(path.join(repo, "before.txt"), "utf8")).toBe("written before the kill");
    expect(readFileSync(path.join(repo, "after.txt"), "utf8")).toBe("resumed\n");
    expect(existsSync(path.join(repo, "late.txt"))).toBe(false);

    const shown = await runCli(["show", sessionId, "--json"], { env });
    const log = jsonEvents(shown.stdout);
    const finished = log.filter((e) => e.type === "tool_finished").map((e) => (e as { callId: string }).callId);
    const started = log.filter((e) => e.type === "tool_started").map((e) => (e as { callId: string }).callId);
    expect(finished).toEqual(["call_0_0", "call_1_0", "call_2_0"]);
    expect(new Set(started)).toEqual(new Set(finished));
    const seqs = log.map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1)); // one unbroken log across both processes

    const list = await runCli(["sessions"], { env });
    expect(list.stdout).toMatch(new RegExp(`${sessionId}\\s+completed\\s+4`));
  });
});

describe("colleague demo", () => {
  it("runs on a fresh HOME with no keys and leaves the sample repo fixed", async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), "colleague-fresh-home-"));
    const env = cleanEnv({ HOME: home });
    delete env.COLLEAGUE_HOME;
    const out = await runCli(["demo", "--fast"], { env });
    expect(withoutPartNotices(out.stderr)).toBe("");
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("SCRIPTED");
    expect(out.stdout).toMatch(/✓ completed · 8 steps/);
    expect(out.stdout).toContain("ANTHROPIC_API_KEY");
    const repo = /a copy of a sample repo: (\S+)/.exec(out.stdout)![1]!;
    expect(readFileSync(path.join(repo, "src/cart.js"), "utf8")).toContain("gross * (1 - discountPercent / 100)");
    expect(existsSync(path.join(home, ".colleague", "sessions.db"))).toBe(true);
  });

  it("prints its version fast and lists the models", async () => {
    const env = cleanEnv();
    const version = await runCli(["--version"], { env });
    expect(version.stdout).toMatch(/^colleague \d+\.\d+\.\d+\n$/);
    const models = await runCli(["models"], { env });
    for (const id of ["anthropic:claude-opus-4-6", "anthropic:claude-sonnet-4-5", "anthropic:claude-haiku-4-5", "openai:gpt-5.3-codex", "openai:gpt-5.2", "openai:gpt-5-mini"]) {
      expect(models.stdout).toContain(id);
    }
  });
});
