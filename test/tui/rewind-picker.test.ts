import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { gitAvailable } from "../../src/checkpoints/git.js";
import { BIN, cleanEnv } from "../cli/cli-helpers.js";
import { tempRepo } from "../helpers.js";
import { describeIfAvailable } from "../requires.js";
import { hasTmux, TmuxPane } from "./tmux.js";

let pane: TmuxPane | undefined;
afterEach(() => pane?.close());

const missing = !hasTmux ? "tmux is not installed" : !gitAvailable() ? "git is not installed" : undefined;

describeIfAvailable("the /rewind picker in the terminal UI", missing, () => {
  it("lists the steps newest first; ↓ then c puts only the files back to before the older step", async () => {
    const cwd = tempRepo({ "notes.txt": "one\n" });
    execFileSync("git", ["init", "-q"], { cwd });
    const scenario = {
      steps: [
        { toolCalls: [{ name: "write_file", args: { path: "notes.txt", content: "two\n" } }] },
        { toolCalls: [{ name: "write_file", args: { path: "notes.txt", content: "three\n" } }] },
        { text: "done" },
      ],
    };
    writeFileSync(path.join(cwd, "scenario.json"), JSON.stringify(scenario));
    const env = cleanEnv({ TERM: "xterm-256color", COLLEAGUE_HOME: tempRepo() });
    delete env.CI;
    pane = new TmuxPane(`${process.execPath} ${BIN} --model scripted:scenario.json --permission-mode auto-edit; sleep 20`, { cwd, env, width: 100, height: 40 });
    await pane.waitFor((s) => s.includes("enter send"), "the input box", 45_000);
    pane.type("change the notes", "Enter");
    await pane.waitFor((s) => s.includes("done"), "the answer", 45_000);
    expect(readFileSync(path.join(cwd, "notes.txt"), "utf8")).toBe("three\n");

    pane.type("/rewind", "Enter");
    const screen = await pane.waitFor((s) => s.includes("rewind to before step"), "the picker");
    expect(screen.indexOf("   2  ")).toBeLessThan(screen.indexOf("   1  "));
    expect(screen).toContain("c files only");
    pane.type("", "Down");
    pane.type("c");
    await pane.waitFor((s) => s.includes("rewound the files to before step 1"), "the rewind");
    expect(readFileSync(path.join(cwd, "notes.txt"), "utf8")).toBe("one\n");
  }, 120_000);
});
