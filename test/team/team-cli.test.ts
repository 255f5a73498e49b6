import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { AgentEvent } from "../../src/agent/events.js";
import { cleanEnv, jsonEvents, runCli, startCli } from "../cli/cli-helpers.js";
import { withoutPartNotices } from "../helpers.js";

const call = (name: string, args: Record<string, unknown>) => ({ name, args });

/** Lead: a chain T1 → T2 → T3 for a, b, c. Each teammate's work appends its name to work.log once. */
function chainTeam() {
  const worker = (name: string, task: string, next?: string, first = false) => {
    const work = [
      { toolCalls: [call("claim_task", { id: task })] },
      // b's work step is slow: the test kills the process during it.
      { ...(name === "b" ? { delayMs: 3000 } : {}), toolCalls: [call("shell", { command: `echo ${name} >> work.log` })] },
      {
        expect: { toolResultsOk: true },
        toolCalls: [call("complete_task", { id: task, result: `${task} by ${name}` }), ...(next ? [call("send_message", { to: next, text: `note from ${name}` })] : [])],
      },
      { text: `${task} done` },
    ];
    return { steps: first ? work : [{ text: "waiting for my dependency" }, ...work] };
  };
  return {
    agents: {
      lead: {
        steps: [
          {
            toolCalls: [
              call("create_task", { title: "first", owner: "a" }),
              call("create_task", { title: "second", owner: "b", dependsOn: ["T1"] }),
              call("create_task", { title: "third", owner: "c", dependsOn: ["T2"] }),
            ],
          },
          {
            toolCalls: [
              // Last-first, so each teammate exists before its dependency can complete.
              call("spawn_teammate", { name: "c", role: "worker", task: "Do T3 when it is ready." }),
              call("spawn_teammate", { name: "b", role: "worker", task: "Do T2 when it is ready." }),
              call("spawn_teammate", { name: "a", role: "worker", task: "Do T1." }),
            ],
          },
          { toolCalls: [call("wait", { until: "all_tasks_done" })] },
          { text: "all three tasks are done" },
        ],
      },
      a: worker("a", "T1", "b", true),
      b: worker("b", "T2", "c"),
      c: worker("c", "T3"),
    },
  };
}

function waitForEvent(child: ReturnType<typeof startCli>, until: (e: AgentEvent) => boolean): Promise<AgentEvent[]> {
  return new Promise((resolve, reject) => {
    const seen: AgentEvent[] = [];
    let buffer = "";
    child.stdout!.on("data", (d: Buffer) => {
      buffer += d;
      for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
        const event = JSON.parse(buffer.slice(0, nl)) as AgentEvent;
        buffer = buffer.slice(nl + 1);
        seen.push(event);
        if (until(event)) resolve(seen);
      }
    });
    child.on("exit", (code) => reject(new Error(`exited (${code}) before the awaited event`)));
  });
}

describe("a team killed with SIGKILL mid-run", () => {
  it("resumes as a whole: no completed task redone, no message lost or delivered twice", async () => {
    const repo = mkdtempSync(path.join(os.tmpdir(), "colleague-team-kill-"));
    const scenario = `${repo}-team.json`;
    writeFileSync(scenario, JSON.stringify(chainTeam()));
    const env = cleanEnv();
    const model = `scripted:${scenario}`;
    const child = startCli(["team", "build the chain", "--size", "3", "--lead", model, "--teammate", model, "--cwd", repo, "--json"], { env });
    // Kill while b is in its slow step: T1 is completed and a's note to b was delivered.
    const seen = await waitForEvent(child, (e) => e.type === "tool_finished" && e.agentId === "b" && e.name === "claim_task");
    await new Promise((r) => setTimeout(r, 300));
    child.kill("SIGKILL");
    await new Promise((r) => child.on("close", r));
    const sessionId = seen[0]!.sessionId;
    expect(readFileSync(path.join(repo, "work.log"), "utf8")).toBe("a\n");

    const resumed = await runCli(["resume", sessionId, "--json"], { env });
    expect(withoutPartNotices(resumed.stderr)).toBe("");
    expect(resumed.code).toBe(0);
    const after = jsonEvents(resumed.stdout);
    expect(after[0]).toMatchObject({ type: "session_resumed", agentId: "team" });
    expect(after.at(-1)).toMatchObject({ type: "session_finished", agentId: "team", status: "completed", answer: "all three tasks are done" });
    // Every piece of work ran exactly once, across both processes.
    expect(readFileSync(path.join(repo, "work.log"), "utf8")).toBe("a\nb\nc\n");

    const log = jsonEvents((await runCli(["show", sessionId, "--json"], { env })).stdout);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1)); // one unbroken log
    const completions = log.filter((e) => e.type === "task_updated" && e.status === "completed").map((e) => (e as { taskId: string }).taskId);
    expect(completions).toEqual(["T1", "T2", "T3"]);
    expect(log.filter((e) => e.type === "model_error")).toEqual([]);

    // Messages: each delivered at most once; every one to a teammate delivered exactly once,
    // and every one to the lead that was sent before its last step too.
    const sent = log.filter((e): e is Extract<AgentEvent, { type: "message_sent" }> => e.type === "message_sent");
    expect(sent.map((m) => m.text)).toEqual(expect.arrayContaining(["note from a", "note from b"]));
    const leadLastStep = log.findLast((e) => e.agentId === "lead" && e.type === "step_started")!.seq;
    for (const m of sent) {
      const deliveries = log.filter((e) => e.type === "user_message" && e.agentId === m.to && e.text.includes(`<message id="${m.messageId}"`));
      if (m.to !== "lead" || m.seq < leadLastStep) expect(deliveries, `${m.messageId} → ${m.to}`).toHaveLength(1);
      else expect(deliveries.length).toBeLessThanOrEqual(1);
    }
    // The note from a reached b before the kill, and was not handed to b again after it.
    const noteToB = sent.find((m) => m.text === "note from a")!;
    expect(after.some((e) => e.type === "user_message" && e.text.includes(`<message id="${noteToB.messageId}"`))).toBe(false);

    // A message that waited in the mailbox at the kill (a's idle notice to the lead, in the
    // lead's wait) is delivered after the resume, once.
    const killedAt = seen.at(-1)!.seq;
    const waiting = sent.filter((m) => m.seq <= killedAt && !log.some((e) => e.seq <= killedAt && e.type === "user_message" && e.text.includes(`<message id="${m.messageId}"`)));
    expect(waiting.map((m) => m.from)).toContain("a");
    for (const m of waiting) {
      expect(after.filter((e) => e.type === "user_message" && e.text.includes(`<message id="${m.messageId}"`))).toHaveLength(1);
    }

    const again = await runCli(["resume", sessionId], { env });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("already completed");
  });
});

describe("colleague team with the bundled example", () => {
  it("shows the board and each teammate's current action live, and leaves the work done", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "colleague-team-example-"));
    const model = "scripted:examples/team/scenario.json";
    const env = cleanEnv();
    const out = await runCli(["team", "write the release notes", "--size", "2", "--lead", model, "--teammate", model, "--cwd", dir], { env });
    expect(withoutPartNotices(out.stderr)).toBe("");
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("+ writer (writer: drafts documents)");
    expect(out.stdout).toMatch(/▣ T2 pending @editor · board: 1 completed, 1 pending/);
    expect(out.stdout).toMatch(/lead: wait \{"until":"all_tasks_done"\} · editor: idle · writer: /);
    expect(out.stdout).toContain("✉ writer → editor: The draft is in NOTES.md; keep it short.");
    expect(out.stdout).toMatch(/✓ team completed · 13 steps/);
    expect(readFileSync(path.join(dir, "NOTES.md"), "utf8")).toContain("# Release notes");
    const id = /session (\S+)/.exec(out.stdout)![1]!;
    const shown = await runCli(["show", id], { env });
    expect(shown.stdout).toContain("[writer] ⏺ write_file NOTES.md");
    const list = await runCli(["sessions"], { env });
    expect(list.stdout).toMatch(new RegExp(`${id}\\s+completed\\s+13`));
  });

  it("reports a bad model id or size as a usage error", async () => {
    const env = cleanEnv();
    const bad = await runCli(["team", "x", "--lead", "nope:model"], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown model "nope:model"');
    const size = await runCli(["team", "x", "--size", "0", "--lead", "scripted:examples/team/scenario.json"], { env });
    expect(size.code).toBe(2);
    expect(size.stderr).toContain("--size must be a positive whole number");
  });
});
