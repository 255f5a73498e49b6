import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AgentEvent, AgentEventBody, isEphemeral } from "../../src/agent/events.js";
import { runScenario } from "../helpers.js";

describe("the event union", () => {
  it("is documented: every type appears in docs/events.md with its stored flag", () => {
    const doc = readFileSync("docs/events.md", "utf8");
    for (const option of AgentEventBody.options) {
      const type = option.shape.type.value;
      const row = doc.split("\n").find((l) => l.startsWith(`| \`${type}\` |`));
      expect(row, `docs/events.md lacks ${type}`).toBeDefined();
      expect(row!.includes("| no |")).toBe(isEphemeral(type));
    }
  });

  it("validates every event a real session emits", async () => {
    const { events } = await runScenario({
      steps: [{ thinking: "hmm", text: "looking", toolCalls: [{ name: "list", args: {} }] }, { text: "done" }],
    });
    expect(events.length).toBeGreaterThan(10);
    for (const event of events) expect(() => AgentEvent.parse(event)).not.toThrow();
  });
});
