import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { gitAvailable } from "../../src/checkpoints/git.js";
import { Host } from "../../src/host/host.js";
import { createScriptedModel } from "../../src/model/scripted.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import { TuiController } from "../../src/tui/controller.js";
import type { Item } from "../../src/tui/view-model.js";
import { tempRepo } from "../helpers.js";
import { describeIfAvailable } from "../requires.js";

const notes = (items: Item[]) => items.filter((i) => i.kind === "note").map((i) => (i as { text: string }).text);
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeIfAvailable("/undo and /rewind in the terminal UI", gitAvailable() ? undefined : "git is not installed", () => {
  it("/rewind lists the steps with a checkpoint; /undo puts the file back and continues in a fork", async () => {
    const cwd = tempRepo({ "a.txt": "v1\n" });
    const model = createScriptedModel(
      {
        steps: [
          { toolCalls: [{ name: "write_file", args: { path: "a.txt", content: "v2\n" } }] },
          { toolCalls: [{ name: "shell", args: { command: "rm a.txt" } }] },
          { text: "done" },
        ],
      },
      "scripted:a",
    );
    const store = new SqliteStore(":memory:");
    const c = new TuiController({
      host: new Host({ store, home: tempRepo() }),
      cwd,
      modelId: "scripted:a",
      effort: undefined,
      maxSteps: 10,
      guard: { permissionMode: "full-auto", sandbox: "off" },
      makeModel: async () => model,
    });
    await c.init(() => {});
    c.submit("change a.txt", false);
    while (c.busy) await wait(5);
    const original = c.view.sessionId!;

    // /rewind opens the picker on the steps that changed files, newest first; esc closes it.
    c.submit("/rewind", false);
    for (let i = 0; i < 200 && !c.view.rewindMenu; i++) await wait(10);
    expect(c.view.rewindMenu!.steps.map((s) => [s.step, s.summary])).toEqual([
      [2, "shell rm a.txt"],
      [1, "write_file a.txt"],
    ]);
    await c.chooseRewind(undefined);
    expect(c.view.rewindMenu).toBeUndefined();
    expect(c.view.sessionId).toBe(original);

    // Only the files: the conversation goes on in the same session.
    c.submit("/rewind 1 code", false);
    for (let i = 0; i < 600 && !notes(c.view.items).at(-1)?.includes("rewound the files"); i++) await wait(10);
    expect(readFileSync(path.join(cwd, "a.txt"), "utf8")).toBe("v1\n");
    expect(c.view.sessionId).toBe(original);

    // /undo: before the newest step that changed files (the shell command's delete).
    c.submit("/undo", false);
    for (let i = 0; i < 600 && c.view.sessionId === original; i++) await wait(10);
    expect(readFileSync(path.join(cwd, "a.txt"), "utf8")).toBe("v2\n");
    expect(c.view.sessionId).not.toBe(original);
    expect(notes(c.view.items).at(-1)).toMatch(/rewound to before step 2/);

    c.submit("/rewind 1", false);
    const fork = c.view.sessionId;
    for (let i = 0; i < 600 && c.view.sessionId === fork; i++) await wait(10);
    expect(readFileSync(path.join(cwd, "a.txt"), "utf8")).toBe("v1\n");

    c.submit("/rewind x", false);
    await wait(20);
    expect(notes(c.view.items).at(-1)).toMatch(/usage: \/rewind STEP \[code\|conversation\]/);
  });
});
