import { describe, expect, it } from "vitest";
import { AgentEvent } from "../../src/agent/events.js";
import type { Scenario } from "../../src/model/scenario.js";
import { ofType } from "../helpers.js";
import { call, startTeam } from "./team-helpers.js";

const names = Array.from({ length: 8 }, (_, i) => `w${i + 1}`);

/** Lead: a chain T1 → … → T8, one task per teammate, then wait for the board to finish. */
function chainScripts(): Record<string, Scenario> {
  const scripts: Record<string, Scenario> = {
    lead: {
      steps: [
        call(...names.map((n, i): [string, Record<string, unknown>] => ["create_task", { title: `step ${i + 1}`, owner: n, ...(i ? { dependsOn: [`T${i}`] } : {}) }])),
        // Spawned last-first, so each teammate exists before its dependency can complete.
        call(...names.map((n, i): [string, Record<string, unknown>] => ["spawn_teammate", { name: n, role: "builder", task: `Your task is T${i + 1}.`, model: `scripted:${n}` }]).reverse()),
        call(["wait", { until: "all_tasks_done" }]),
        { expect: { lastMessageIncludes: ["All tasks are done"] }, text: "the chain is built" },
      ],
    },
  };
  names.forEach((n, i) => {
    const id = `T${i + 1}`;
    const next = names[i + 1];
    const work = [
      call(["claim_task", { id }]),
      { expect: { toolResultsOk: true }, ...call(["complete_task", { id, result: `${id} built by ${n}` }], ...(next ? [["send_message", { to: next, text: `hello from ${n}` }] as [string, Record<string, unknown>]] : [])) },
      { expect: { toolResultsOk: true }, text: `${id} done` },
    ];
    // Everyone but the first waits (idle) until its task unblocks and it is woken.
    scripts[n] = { steps: i === 0 ? work : [{ text: `waiting for T${i}` }, { expect: { lastMessageIncludes: [`Task ${id}`] }, ...work[0]! }, ...work.slice(1)] };
  });
  return scripts;
}

describe("a team of 8 with a dependency chain and cross-messages", () => {
  it("finishes with every task completed by its owner, in order, and every message delivered once", async () => {
    const { team, events } = await startTeam(chainScripts(), { lead: { model: "scripted:lead" } });
    const result = await team.run();
    expect(result.status, result.error).toBe("completed");
    expect(result.answer).toBe("the chain is built");
    expect(result.tasks.map((t) => [t.id, t.status, t.owner, t.result])).toEqual(
      names.map((n, i) => [`T${i + 1}`, "completed", n, `T${i + 1} built by ${n}`]),
    );
    expect(ofType(events, "model_error")).toEqual([]);
    // Completion order follows the chain.
    const completed = ofType(events, "task_updated").filter((e) => e.status === "completed").map((e) => e.taskId);
    expect(completed).toEqual(names.map((_, i) => `T${i + 1}`));
    // Each cross-message reached its recipient once, as a user message in its own conversation.
    for (const [i, n] of names.slice(1).entries()) {
      const got = ofType(events, "user_message").filter((e) => e.agentId === n && e.text.includes(`hello from ${names[i]}`));
      expect(got, n).toHaveLength(1);
    }
    // Every teammate's events carry its own agent id; every event validates.
    expect(new Set(events.map((e) => e.agentId))).toEqual(new Set(["team", "lead", ...names, "board"]));
    for (const e of events) expect(() => AgentEvent.parse(e)).not.toThrow();
    expect(events.at(-1)).toMatchObject({ type: "session_finished", agentId: "team", status: "completed" });
  });
});

describe("two teammates racing for one task", () => {
  it("exactly one wins the claim", async () => {
    const racer = (n: string): Scenario => ({
      steps: [call(["claim_task", { id: "T1" }]), { text: `${n} done` }],
    });
    const { team, events } = await startTeam({ a: racer("a"), b: racer("b") });
    team.board.create("lead", { title: "the only task" });
    await team.spawn({ name: "a", role: "racer", task: "claim T1", model: "scripted:a" });
    await team.spawn({ name: "b", role: "racer", task: "claim T1", model: "scripted:b" });
    await team.settled();
    await team.finish({ status: "completed" });
    const claims = ofType(events, "tool_finished").filter((e) => e.name === "claim_task");
    expect(claims).toHaveLength(2);
    expect(claims.filter((c) => !c.isError)).toHaveLength(1);
    const loser = claims.find((c) => c.isError)!;
    expect(JSON.stringify(loser.content)).toMatch(/already held by (a|b)/);
    const task = team.board.get("T1")!;
    expect(task.status).toBe("in_progress");
    expect(task.owner).toBe(claims.find((c) => !c.isError)!.agentId);
  });
});

describe("a message sent mid-task", () => {
  it("is in the recipient's very next model request", async () => {
    const { team, events } = await startTeam({
      slow: {
        steps: [
          call(["claim_task", { id: "T1" }]),
          // A long model step: the message arrives while it is under way.
          { delayMs: 1500, ...call(["update_task", { id: "T1", note: "half way" }]) },
          { expect: { lastMessageIncludes: ["use the v2 API", 'from="quick"'] }, ...call(["complete_task", { id: "T1", result: "done with v2" }]) },
          { text: "finished" },
        ],
      },
      quick: { steps: [{ delayMs: 100, ...call(["send_message", { to: "slow", text: "use the v2 API" }]) }, { text: "sent" }] },
    });
    team.board.create("lead", { title: "long task", owner: "slow" });
    await team.spawn({ name: "slow", role: "worker", task: "do T1", model: "scripted:slow" });
    await team.spawn({ name: "quick", role: "adviser", task: "tell slow about v2", model: "scripted:quick" });
    await team.settled();
    const result = await team.finish({ status: "completed" });
    expect(ofType(events, "model_error")).toEqual([]);
    expect(result.tasks[0]).toMatchObject({ status: "completed", result: "done with v2" });
    const delivered = ofType(events, "user_message").filter((e) => e.agentId === "slow" && e.kind !== "task");
    expect(delivered).toHaveLength(1);
    // Delivered between its second and third model requests, i.e. at the next step boundary.
    const slowSteps = ofType(events, "step_started").filter((e) => e.agentId === "slow");
    expect(delivered[0]!.seq).toBeGreaterThan(slowSteps[1]!.seq);
    expect(delivered[0]!.seq).toBeLessThan(slowSteps[2]!.seq);
  });
});

describe("spawning", () => {
  it("refuses taken or reserved names, a full team and an unknown model, as errors the lead can read", async () => {
    const { team } = await startTeam({ a: { steps: [{ text: "hi" }] } }, { size: 1 });
    expect(await team.spawn({ name: "lead", role: "r", task: "t", model: "scripted:a" })).toMatchObject({ ok: false, text: 'Not spawned: the name "lead" is taken.' });
    expect(await team.spawn({ name: "b", role: "r", task: "t", model: "nope:x" })).toMatchObject({ ok: false, text: expect.stringContaining('unknown model "nope:x"') });
    expect(await team.spawn({ name: "a", role: "r", task: "t", model: "scripted:a" })).toMatchObject({ ok: true });
    expect(await team.spawn({ name: "a", role: "r", task: "t", model: "scripted:a" })).toMatchObject({ ok: false });
    expect(await team.spawn({ name: "c", role: "r", task: "t", model: "scripted:a" })).toMatchObject({ ok: false, text: expect.stringContaining("the team is full (1 teammates)") });
    await team.settled();
    expect(await team.shutdown("a")).toMatchObject({ ok: true, text: "a stopped." });
    expect(await team.spawn({ name: "c", role: "r", task: "t", model: "scripted:a" })).toMatchObject({ ok: true });
    await team.settled();
    await team.finish({ status: "completed" });
  });
});
