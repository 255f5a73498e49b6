import { describe, expect, it } from "vitest";
import { ofType } from "../helpers.js";
import { call, startTeam } from "./team-helpers.js";

describe("the context engine in a team", () => {
  it("manages each member's own conversation: a context event per request, under each member's agent id", async () => {
    const { team, events } = await startTeam(
      {
        lead: {
          steps: [
            call(["spawn_teammate", { name: "w1", role: "builder", task: "Say hi.", model: "scripted:w1" }]),
            call(["wait", { until: "all_idle" }]),
            { text: "done" },
          ],
        },
        w1: { steps: [{ text: "hi" }] },
      },
      { lead: { model: "scripted:lead" } },
    );
    const result = await team.run();
    expect(result.status, result.error).toBe("completed");
    const contexts = ofType(events, "context");
    const byAgent = (id: string) => contexts.filter((c) => c.agentId === id).length;
    expect(byAgent("w1")).toBe(ofType(events, "assistant_message").filter((e) => e.agentId === "w1").length);
    expect(byAgent("lead")).toBe(ofType(events, "assistant_message").filter((e) => e.agentId === "lead").length);
    expect(byAgent("w1")).toBeGreaterThan(0);
  });
});
