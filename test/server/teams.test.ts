import { cpSync, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { AgentEvent } from "../../src/agent/events.js";
import { follow, type TestServer, testServer } from "./server-helpers.js";

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const call = (name: string, args: Record<string, unknown>) => ({ name, args });

describe("teams and reviews through colleague serve", () => {
  it("starts a team, streams its board events, steers a teammate by id, and serves the board", async () => {
    t = await testServer();
    const cwd = t.workspace();
    const team = t.scripted({
      agents: {
        lead: {
          steps: [
            { toolCalls: [call("create_task", { title: "write the note", owner: "mate" })] },
            { toolCalls: [call("spawn_teammate", { name: "mate", role: "writer", task: "Do T1." })] },
            { toolCalls: [call("wait", { until: "all_tasks_done" })] },
            { text: "The team is done." },
          ],
        },
        mate: {
          steps: [
            { delayMs: 1500, toolCalls: [call("claim_task", { id: "T1" })] },
            { expect: { lastMessageIncludes: ["use tabs"] }, toolCalls: [call("complete_task", { id: "T1", result: "written with tabs" })] },
            { text: "T1 done." },
          ],
        },
      },
    });
    const session = await t.client.createTeam({ task: "write a note as a team", cwd, lead: team, teammates: [team], size: 1 });
    const seen: AgentEvent[] = [];
    let steered = false;
    const events = await follow(t.client, session.id, (event) => {
      seen.push(event);
      if (!steered && event.type === "teammate_spawned") {
        steered = true;
        void t!.client.messageAgent(session.id, "mate", "use tabs");
      }
    });
    expect(events.at(-1)).toMatchObject({ type: "session_finished", agentId: "team", status: "completed", answer: "The team is done." });
    expect(events.filter((e) => e.type === "task_created")).toHaveLength(1);
    expect(events.some((e) => e.type === "task_updated" && e.taskId === "T1" && e.status === "completed")).toBe(true);
    expect(events.some((e) => e.type === "user_message" && e.agentId === "mate" && e.text.includes("use tabs"))).toBe(true);
    const board = await t.client.board(session.id);
    expect(board.map((task) => [task.id, task.status, task.result])).toEqual([["T1", "completed", "written with tabs"]]);
  });

  it("runs a review: findings stream as events, review.md and review.sarif are written", async () => {
    t = await testServer();
    const repo = path.join(t.root, "review-repo");
    cpSync(path.resolve("examples/review-repo"), repo, { recursive: true });
    const out = path.join(t.root, "out");
    mkdirSync(out);
    const reviewers = `scripted:${path.resolve("examples/review/scenario.json")}`;
    const session = await t.client.createReview({ cwd: repo, size: 4, teammates: [reviewers], outDir: out });
    const events = await follow(t.client, session.id);
    expect(events.at(-1)).toMatchObject({ type: "session_finished", agentId: "team", status: "completed" });
    expect(events.filter((e) => e.type === "finding_reported").length).toBeGreaterThanOrEqual(5);
    await t.server.service.settled(session.id);
    expect(existsSync(path.join(out, "review.md"))).toBe(true);
    expect(existsSync(path.join(out, "review.sarif"))).toBe(true);
  });
});
