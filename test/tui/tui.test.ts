import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { describeIfAvailable } from "../requires.js";
import type { Scenario } from "../../src/model/scenario.js";
import { BIN, cleanEnv } from "../cli/cli-helpers.js";
import { tempRepo } from "../helpers.js";
import { hasTmux, TmuxPane } from "./tmux.js";

const scenario: Scenario = {
  chunkDelayMs: 10,
  steps: [
    { thinking: "Start by running the check.", text: "Looking around.", toolCalls: [{ name: "shell", args: { command: "echo started; sleep 3" } }, { name: "list", args: {} }] },
    { expect: { lastMessageIncludes: ["use port 8080", "Skipped because the user steered"] }, toolCalls: [{ name: "shell", args: { command: "sleep 30" } }] },
    { expect: { lastMessageIncludes: ["go on"] }, text: "All done after the interrupt." },
    { expect: { lastMessageIncludes: ["then the changelog"] }, text: "Changelog updated too." },
  ],
};

let pane: TmuxPane | undefined;
afterEach(() => pane?.close());

describeIfAvailable("the interactive terminal (driven in tmux, 80 columns)", hasTmux ? undefined : "tmux is not installed", () => {
  it("streams tool calls, steers mid-run, interrupts a long tool, continues, and runs slash commands", async () => {
    const cwd = tempRepo();
    writeFileSync(path.join(cwd, "scenario.json"), JSON.stringify(scenario));
    const env = cleanEnv({ TERM: "xterm-256color" });
    // Ink renders no live frames when CI is set (is-in-ci), and CI runs with CI=true.
    delete env.CI;
    pane = new TmuxPane(`${process.execPath} ${BIN} --model scripted:scenario.json`, { cwd, env });
    const p = pane;
    // Generous: under a loaded CI machine the first paint can take several seconds.
    await p.waitFor((s) => s.includes("enter send"), "the input box", 45_000);

    p.type("fix the build", "Enter");
    let screen = await p.waitFor((s) => /⏺ shell echo started; sleep 3 +running/.test(s), "the running shell call");
    expect(screen).toContain("› fix the build");
    expect(screen).toContain("✻ Start by running the check.");
    expect(screen).toMatch(/effort default · [\d.]+k? tok/); // the status line

    p.type("then the changelog", "Tab"); // Tab while working = queue
    await p.waitFor((s) => s.includes("⇢ queued: then the changelog"), "the queued message");
    p.type("use port 8080", "Enter"); // Enter while working = steer
    screen = await p.waitFor((s) => s.includes("› [steer] use port 8080"), "the steer delivered");
    expect(screen).toMatch(/✓ shell echo started; sleep 3 \(\d+\.\d s\)/);
    expect(screen).toContain("↷ list");

    await p.waitFor((s) => /⏺ shell sleep 30 +running/.test(s), "the long tool call");
    const pressed = Date.now();
    p.type("", "Escape");
    screen = await p.waitFor((s) => s.includes("■ interrupted"), "the interrupt");
    expect(Date.now() - pressed).toBeLessThan(3000);
    expect(screen).toMatch(/✗ shell sleep 30 \(\d+ ms\)/);

    p.type("go on", "Enter");
    screen = await p.waitFor((s) => s.includes("✓ done"), "the end of the task");
    expect(screen).toContain("All done after the interrupt.");
    // The queued message came only after that final answer.
    expect(screen.indexOf("› [queue] then the changelog")).toBeGreaterThan(screen.indexOf("All done after the interrupt."));
    expect(screen).toContain("Changelog updated too.");
    expect(screen).toContain("idle");

    p.type("/effort high", "Enter");
    await p.waitFor((s) => s.includes("effort → high") && s.includes("effort high ·"), "the effort change");
    p.type("/sessions", "Enter");
    await p.waitFor((s) => /completed +4 steps/.test(s), "the session list");
    p.type("/cost", "Enter");
    await p.waitFor((s) => /session \w+: [\d.]+k? tokens · \$0\.0000/.test(s), "the cost line");
    p.type("", "Up");
    await p.waitFor((s) => s.includes("│ › /cost"), "the input history");
    p.type("", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace");

    for (const line of p.screen().split("\n")) expect(line.length).toBeLessThanOrEqual(80);

    p.type("/exit", "Enter");
    await p.waitFor(() => !p.alive(), "the TUI to exit");
  }, 120_000);
});
