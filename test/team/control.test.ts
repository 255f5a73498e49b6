import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Scenario } from "../../src/model/scenario.js";
import { createScriptedModel } from "../../src/model/scripted.js";
import type { ModelInfo } from "../../src/model/types.js";
import { ModelPool } from "../../src/team/models.js";
import { ofType, tempRepo } from "../helpers.js";
import { call, startTeam } from "./team-helpers.js";

describe("isolation in git worktrees", () => {
  it("merges one teammate's work into the lead's checkout and reports the other's conflict without overwriting", async () => {
    const repo = tempRepo({ "shared.txt": "base\n" });
    const git = (...args: string[]) => execFileSync("git", ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@t", ...args], { encoding: "utf8" });
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "base");
    const writer = (text: string): Scenario => ({ steps: [call(["write_file", { path: "shared.txt", content: `${text}\n` }]), { text: "written" }] });
    const { team, events } = await startTeam(
      {
        lead: {
          steps: [
            call(["spawn_teammate", { name: "x", role: "writer", task: "write", model: "scripted:x", isolated: true }], ["spawn_teammate", { name: "y", role: "writer", task: "write", model: "scripted:y", isolated: true }]),
            call(["wait", {}]),
            call(["wait", {}]),
            call(["shutdown_teammate", { name: "x" }], ["shutdown_teammate", { name: "y" }]),
            { text: "merged what could be merged" },
          ],
        },
        x: writer("from x"),
        y: writer("from y"),
      },
      { cwd: repo, lead: { model: "scripted:lead" } },
    );
    const result = await team.run();
    expect(result.status, result.error).toBe("completed");
    const spawned = ofType(events, "teammate_spawned");
    expect(spawned.every((s) => s.isolated && s.worktree && !s.worktree.startsWith(repo))).toBe(true);
    const stopped = ofType(events, "teammate_stopped");
    expect(stopped.map((s) => [s.name, s.merge?.ok, s.merge?.conflicts])).toEqual([
      ["x", true, []],
      ["y", false, ["shared.txt"]],
    ]);
    expect(stopped[1]!.merge!.summary).toContain("conflicts in shared.txt");
    // x's change landed; y's did not overwrite it, and the merge was aborted cleanly.
    expect(readFileSync(`${repo}/shared.txt`, "utf8")).toBe("from x\n");
    expect(git("status", "--porcelain").trim()).toBe("");
    expect(git("branch", "--list", "colleague/*")).toContain(`/y`);
  });
});

const priced = (name: string): ModelInfo => ({
  name,
  api: "scripted",
  contextWindow: 200_000,
  maxOutput: 32_000,
  price: { input: 1000, output: 0, cacheRead: 0, cacheWrite: 0 }, // $1 per 1000 input tokens
  capabilities: { tools: true, images: false, reasoning: "none" },
});

describe("budgets", () => {
  it("stops every agent once the whole team has spent its budget", async () => {
    const forever: Scenario = { steps: Array.from({ length: 20 }, () => ({ usage: { input: 1000, output: 0 }, ...call(["list_tasks", {}]) })) };
    const models = new ModelPool(async (id) => createScriptedModel(forever, id, priced(id)));
    const { team, events } = await startTeam({}, { models, lead: { model: "scripted:lead" }, budgetUsd: 3.5 });
    await team.spawn({ name: "w", role: "worker", task: "loop", model: "scripted:w" });
    const result = await team.run();
    expect(result.status).toBe("budget");
    expect(result.costUsd).toBeGreaterThanOrEqual(3.5);
    expect(result.costUsd).toBeLessThanOrEqual(5); // each agent stops at its next step
    expect(ofType(events, "agent_idle").every((e) => e.status === "budget")).toBe(true);
  });

  it("stops a teammate at its own step limit and tells the lead", async () => {
    const { team, events } = await startTeam(
      {
        lead: { steps: [call(["spawn_teammate", { name: "w", role: "worker", task: "loop", model: "scripted:w" }]), call(["wait", { until: "message" }]), { text: "w hit its limit" }] },
        w: { steps: Array.from({ length: 10 }, () => call(["list_tasks", {}])) },
      },
      { lead: { model: "scripted:lead" }, maxStepsPerAgent: 3 },
    );
    const result = await team.run();
    expect(result.status).toBe("completed");
    expect(ofType(events, "agent_idle").find((e) => e.agentId === "w")).toMatchObject({ status: "max_steps" });
    expect(ofType(events, "message_sent").find((m) => m.from === "w")!.text).toMatch(/^w stopped \(max_steps\)/);
    expect(ofType(events, "step_started").filter((e) => e.agentId === "w")).toHaveLength(3);
  });
});

describe("steering a teammate by id", () => {
  it("delivers the text at the teammate's next step", async () => {
    const { team, events } = await startTeam({
      w: {
        steps: [
          { delayMs: 300, ...call(["list_tasks", {}]) },
          { expect: { lastMessageIncludes: ['from="user"', "focus on the parser", "and keep it small"] }, text: "ok, the parser" },
        ],
      },
    });
    await team.spawn({ name: "w", role: "worker", task: "work", model: "scripted:w" });
    // A steering inbox plugs in per agent; its messages follow the mail at the same boundary.
    const inbox = [{ role: "user" as const, content: [{ type: "text" as const, text: "and keep it small" }] }];
    expect(team.setInbox("w", { drain: () => inbox.splice(0) })).toBe(true);
    team.steer("w", "focus on the parser");
    await team.settled();
    await team.finish({ status: "completed" });
    expect(ofType(events, "model_error")).toEqual([]);
    expect(ofType(events, "assistant_message").at(-1)!.message.content).toEqual([{ type: "text", text: "ok, the parser" }]);
  });
});

describe("interrupting a teammate by id", () => {
  it("stops its turn at once; mail wakes it again and it carries on", async () => {
    const { team, events } = await startTeam({
      w: {
        steps: [
          call(["shell", { command: "sleep 5" }]),
          { expect: { lastMessageIncludes: ["stop that, do this"] }, text: "doing this instead" },
        ],
      },
    });
    await team.spawn({ name: "w", role: "worker", task: "think", model: "scripted:w" });
    while (!events.some((e) => e.type === "tool_started" && e.name === "shell")) await new Promise((r) => setTimeout(r, 10));
    const started = Date.now();
    team.interrupt("w");
    await team.settled();
    expect(Date.now() - started).toBeLessThan(2000); // not the 5 s command
    expect(ofType(events, "agent_idle")[0]).toMatchObject({ agentId: "w", status: "aborted" });
    team.steer("w", "stop that, do this");
    await team.settled();
    await team.finish({ status: "completed" });
    expect(ofType(events, "agent_idle").map((e) => e.status)).toEqual(["aborted", "completed"]);
    expect(ofType(events, "assistant_message").at(-1)!.message.content).toEqual([{ type: "text", text: "doing this instead" }]);
  });
});
