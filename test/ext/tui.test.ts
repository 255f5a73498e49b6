import { describe, expect, it } from "vitest";
import { Host } from "../../src/host/host.js";
import { createScriptedModel } from "../../src/model/scripted.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import { TuiController } from "../../src/tui/controller.js";
import { slashMatches } from "../../src/tui/slash-commands.js";
import { ofType } from "../helpers.js";
import { places } from "./ext-helpers.js";

describe("custom commands in the TUI", () => {
  it("the / menu lists them after the built-in commands, and a built-in keeps its name", () => {
    const custom = [
      { name: "review", args: "[file]", help: "Review a file (project)" },
      { name: "help", args: "", help: "a shadowing file" },
    ];
    expect(slashMatches("re", custom).map((c) => c.name)).toEqual(["rename", "resume", "rewind", "review"]);
    expect(slashMatches("help", custom).filter((c) => c.name === "help")).toHaveLength(1);
  });

  it("a custom command is in the menu and runs as a task with its arguments filled in", async () => {
    const p = places({ project: { ".claude/commands/greet.md": "---\ndescription: Greet someone\nargument-hint: [name]\n---\nSay hello to $1.\n" } });
    const store = new SqliteStore(":memory:");
    const host = new Host({ store, home: p.home, env: { ...process.env, HOME: p.user } });
    const model = createScriptedModel({ steps: [{ expect: { lastMessageIncludes: ["Say hello to Ada."] }, text: "Hello, Ada." }] }, "scripted:a");
    const c = new TuiController({ host, cwd: p.ws, modelId: "scripted:a", effort: undefined, maxSteps: 5, makeModel: async () => model });
    await c.init(() => {});
    expect(c.customCommands()).toEqual([{ name: "greet", args: "[name]", help: "Greet someone (project)" }]);
    c.submit("/greet Ada", false);
    while (c.busy) await new Promise((r) => setTimeout(r, 5));
    const [row] = store.listSessions();
    const events = store.events(row!.id);
    expect(ofType(events, "user_message")[0]!.text).toBe("Say hello to Ada.");
    expect(ofType(events, "session_finished")[0]).toMatchObject({ status: "completed", answer: "Hello, Ada." });
  });
});
