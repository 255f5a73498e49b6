import { describe, expect, it } from "vitest";
import { createScriptedModel } from "../../src/model/scripted.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import { Host } from "../../src/host/host.js";
import { TuiController } from "../../src/tui/controller.js";
import { tempRepo } from "../helpers.js";

describe("/compact in the TUI", () => {
  it("while working, compacts the running session before its next request; idle, says how it works", async () => {
    const store = new SqliteStore(":memory:");
    const steps = [
      ...Array.from({ length: 4 }, () => ({ delayMs: 40, toolCalls: [{ name: "list", args: {} }] })),
      { text: "done" },
    ];
    const model = createScriptedModel({ steps }, "scripted:a");
    const c = new TuiController({
      host: new Host({ store, home: tempRepo() }),
      cwd: tempRepo({ "a.txt": "a" }),
      modelId: "scripted:a",
      effort: undefined,
      maxSteps: 10,
      makeModel: async () => model,
    });
    await c.init(() => {});
    c.submit("/compact", false);
    await new Promise((r) => setTimeout(r, 5));
    c.submit("list things", false);
    await new Promise((r) => setTimeout(r, 60));
    c.submit("/compact", false);
    while (c.busy) await new Promise((r) => setTimeout(r, 5));
    const events = store.events(store.listSessions()[0]!.id);
    const compacted = events.filter((e) => e.type === "context_compacted");
    expect(compacted).toHaveLength(1);
    expect(compacted[0]).toMatchObject({ reason: "manual" });
    const texts = c.view.items.filter((i) => i.kind === "note").map((i) => (i as { text: string }).text);
    expect(texts.some((t) => t.startsWith("/compact works while the agent is working"))).toBe(true);
    expect(texts).toContain("compacting the history before the next request");
  });
});
