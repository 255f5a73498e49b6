import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import type { Scenario } from "../../src/model/scenario.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import { BIN, cleanEnv } from "../cli/cli-helpers.js";
import { tempRepo } from "../helpers.js";
import { describeIfAvailable } from "../requires.js";
import { hasTmux, TmuxPane } from "./tmux.js";

let pane: TmuxPane | undefined;
afterEach(() => pane?.close());

/** The TUI in a tmux pane on a small git repository; `messages()` reads the user messages from the log. */
async function open(scenario: Scenario, width: number, files: Record<string, string> = {}) {
  const cwd = tempRepo({ "src/tui/view-model.ts": "export const a = 1;\n", "docs/overview.md": "# overview\n", ...files });
  execFileSync("git", ["init", "-q"], { cwd });
  writeFileSync(path.join(cwd, "scenario.json"), JSON.stringify(scenario));
  const home = tempRepo();
  const env = cleanEnv({ TERM: "xterm-256color", COLLEAGUE_HOME: home });
  // Ink renders no live frames when CI is set (is-in-ci), and CI runs with CI=true.
  delete env.CI;
  // The pane outlives the app a little, so what it prints on exit can be read.
  pane = new TmuxPane(`${process.execPath} ${BIN} --model scripted:scenario.json --permission-mode auto-edit; sleep 20`, { cwd, env, width, height: 40 });
  await pane.waitFor((s) => s.includes("enter send"), "the input box", 45_000);
  const messages = () => {
    const store = new SqliteStore(path.join(home, "sessions.db"));
    try {
      const row = store.listSessions(1)[0];
      return row ? store.events(row.id).flatMap((e) => (e.type === "user_message" ? [e.text] : [])) : [];
    } finally {
      store.close();
    }
  };
  return { p: pane, cwd, messages };
}

/** The input box's lines: its top and bottom borders span exactly `width` columns, and every line between is closed on both sides. */
function expectIntactBox(screen: string, width: number): void {
  const lines = screen.split("\n");
  const top = lines.findLastIndex((l) => l.startsWith("╭"));
  const bottom = lines.findLastIndex((l) => l.startsWith("╰"));
  expect(top, screen).toBeGreaterThanOrEqual(0);
  expect(bottom, screen).toBeGreaterThan(top);
  expect(lines[top], screen).toMatch(new RegExp(`^╭─{${width - 2}}╮$`));
  expect(lines[bottom], screen).toMatch(new RegExp(`^╰─{${width - 2}}╯$`));
  for (const line of lines.slice(top + 1, bottom)) expect(line, screen).toMatch(new RegExp(`^│.{${width - 2}}│$`, "u"));
  for (const line of lines) expect([...line].length, screen).toBeLessThanOrEqual(width);
  // No half-drawn box left over from a wider frame.
  expect(lines.filter((l) => /^[╭╰]/.test(l)), screen).toHaveLength(2);
}

const answers: Scenario = { chunkDelayMs: 5, steps: [{ text: "**Cause:** the `port`." }, { text: "Second answer." }, { text: "Third." }] };

describeIfAvailable("the input box (driven in tmux)", hasTmux ? undefined : "tmux is not installed (apt-get install tmux)", () => {
  it("a 3-line paste is one message; cursor editing; backspaces in one chunk with text", async () => {
    const { p, messages } = await open(answers, 100);
    p.type("see this: ");
    p.paste("Error: connect ECONNREFUSED\n  at connect (net.js:1)\n  at main (app.js:2)");
    let screen = await p.waitFor((s) => /│ +at main \(app\.js:2\)/.test(s), "the pasted lines in the box");
    expect(screen).toMatch(/│ › see this: Error: connect ECONNREFUSED +│\n│ +at connect \(net\.js:1\) +│\n│ +at main/);
    expect(messages()).toEqual([]); // no line of the paste was sent on its own
    p.type("", "Enter");
    screen = await p.waitFor((s) => s.includes("✓ done"), "the answer");
    expect(messages()).toEqual(["see this: Error: connect ECONNREFUSED\n  at connect (net.js:1)\n  at main (app.js:2)"]);
    expect(screen).toContain("Cause: the port."); // markdown rendered, no raw ** or `
    expect(screen).not.toContain("**Cause:**");

    // "abc", two backspaces and "Z" in one chunk.
    p.bytes("abc\x7f\x7fZ");
    await p.waitFor((s) => s.includes("│ › aZ "), "aZ");
    // ←/→, Home/End, Ctrl-A/E/U/W/K, word jumps.
    p.type("", "C-u");
    p.type("hello world");
    p.type("", "C-a");
    p.type(">> ");
    p.type("", "End", "C-w");
    p.type("there");
    await p.waitFor((s) => s.includes("│ › >> hello there "), "the line after Ctrl-A, End and Ctrl-W");
    p.type("", "M-b", "Left");
    p.type(",");
    await p.waitFor((s) => s.includes("│ › >> hello, there "), "the comma typed after Alt-B and ←");
    p.type("", "Home", "Right", "Right", "Right", "C-k");
    p.type("say", "C-a", "End");
    p.type("!");
    await p.waitFor((s) => s.includes("│ › >> say! "), "the line after Home, →, Ctrl-K and End");
    p.type("", "C-u");
    p.type("one");
    p.type("", "M-Enter");
    p.type("two", "Enter");
    await p.waitFor((s) => s.includes("Second answer."), "the two-line message sent");
    expect(messages().at(-1)).toBe("one\ntwo");
    p.type("/exit", "Enter");
    screen = await p.waitFor((s) => s.includes("resume this session: colleague --resume"), "the resume command printed on exit");
    expect(screen).toMatch(/colleague --resume \w+/);
  }, 120_000);

  it("the / menu filters as you type; @ completes files fuzzily and attaches them; Tab when idle never sends", async () => {
    const { p, messages } = await open(answers, 100);
    p.type("/");
    let screen = await p.waitFor((s) => s.includes("/permissions") && s.includes("of 18"), "the / menu");
    p.type("pe");
    screen = await p.waitFor((s) => s.includes(" /permissions ") && !s.includes("/model"), "the filtered menu");
    p.type("", "Enter");
    screen = await p.waitFor((s) => /^mode +auto-edit/m.test(s), "/permissions run from the menu");

    p.type("look at @vmod");
    screen = await p.waitFor((s) => s.includes(" src/tui/view-model.ts"), "the @ menu");
    p.type("", "Tab");
    await p.waitFor((s) => s.includes("│ › look at @src/tui/view-model.ts "), "the completed path");
    p.type("and docs/overv", "Tab"); // idle Tab completes the word as a path
    await p.waitFor((s) => s.includes("and docs/overview.md"), "the Tab completion");
    expect(messages()).toEqual([]); // Tab never sent anything
    p.type("", "Enter");
    screen = await p.waitFor((s) => s.includes("✓ done"), "the answer");
    // @ attaches; a path completed with Tab stays a plain path in the text.
    expect(screen).toContain("📎 src/tui/view-model.ts (1 line)");
    expect(messages()[0]).toMatch(/^look at @src\/tui\/view-model\.ts and docs\/overview\.md/);
    expect(messages()[0]).toContain('<file path="src/tui/view-model.ts">\nexport const a = 1;\n</file>');
  }, 120_000);

  it("resizes 120 → 70 → 100 columns with the box borders intact", async () => {
    const { p } = await open(answers, 120);
    p.type("tell me", "Enter");
    await p.waitFor((s) => s.includes("✓ done"), "the answer");
    p.type("a draft long enough to wrap once the window is narrow: it goes on and on");
    await p.waitFor((s) => s.includes("goes on and on"), "the draft");
    expectIntactBox(p.screen(), 120);
    p.resize(70);
    let screen = await p.waitFor((s) => s.split("\n").some((l) => /^╰─{68}╯$/.test(l)), "the 70-column box");
    await new Promise((r) => setTimeout(r, 500));
    screen = p.screen();
    expectIntactBox(screen, 70);
    expect(screen).toContain("Cause: the port."); // the transcript is printed again at the new width
    p.resize(100);
    await p.waitFor((s) => s.split("\n").some((l) => /^╰─{98}╯$/.test(l)), "the 100-column box");
    await new Promise((r) => setTimeout(r, 500));
    screen = p.screen();
    expectIntactBox(screen, 100);
    expect(screen).toContain("goes on and on"); // the draft survived both resizes
  }, 120_000);
});
