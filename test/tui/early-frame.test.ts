import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { WELCOME } from "../../src/tui/controller.js";
import { dropEarlyFrame, replaceEarlyFrameOnFirstWrite } from "../../src/tui/early-frame.js";
import { IDLE_HINT } from "../../src/tui/input-box.js";
import { BIN, cleanEnv } from "../cli/cli-helpers.js";
import { tempRepo } from "../helpers.js";
import { describeIfAvailable } from "../requires.js";
import { hasTmux, TmuxPane } from "./tmux.js";

const { earlyFrame, opensTui } = createRequire(import.meta.url)("../../bin/early-frame.js") as {
  earlyFrame: (columns: number) => { text: string; lines: number };
  opensTui: (args: string[]) => boolean;
};

const slot = globalThis as { __colleagueEarlyFrame?: { erase: string; release: () => void } };
afterEach(() => {
  delete slot.__colleagueEarlyFrame;
});

function sink() {
  const written: string[] = [];
  const out = { write: (chunk: string | Uint8Array) => written.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString()) > 0 };
  return { out: out as unknown as NodeJS.WriteStream, written };
}

describe("the early frame (drawn before the bundle loads)", () => {
  it("is drawn only for what opens the TUI: no arguments, or only the TUI's value flags", () => {
    for (const args of [[], ["--model", "scripted:s.json"], ["-m", "x", "--cwd", "/tmp"], ["--model=x", "--permission-mode", "ask"], ["--sandbox", "off", "-e", "high"]]) {
      expect(opensTui(args), args.join(" ")).toBe(true);
    }
    for (const args of [["fix the build"], ["run", "x"], ["-p", "x"], ["--json"], ["--model"], ["--continue"], ["--model", "x", "task"], ["--help"], ["sessions"]]) {
      expect(opensTui(args), args.join(" ")).toBe(false);
    }
  });

  it("shows the TUI's own banner and hint, and a box exactly as wide as the TUI draws it", () => {
    for (const columns of [30, 80, 200]) {
      const width = Math.max(40, Math.min(columns, 120));
      const frame = earlyFrame(columns);
      const lines = stripVTControlCharacters(frame.text).split("\n").slice(0, -1);
      expect(lines).toHaveLength(frame.lines);
      expect(lines[0]).toBe(WELCOME.length > width ? `${WELCOME.slice(0, width - 1)}…` : WELCOME);
      expect(lines.at(-1)).toBe(IDLE_HINT.length > width ? `${[...IDLE_HINT].slice(0, width - 1).join("")}…` : IDLE_HINT);
      expect(lines[2]).toBe(`╭${"─".repeat(width - 2)}╮`);
      expect(lines[3]).toMatch(new RegExp(`^│ › .{${width - 5}}│$`, "u"));
      expect(lines[4]).toBe(`╰${"─".repeat(width - 2)}╯`);
      for (const line of lines) expect([...line].length).toBeLessThanOrEqual(width);
    }
  });

  it("the TUI's first write starts by erasing it; later writes are untouched", () => {
    slot.__colleagueEarlyFrame = { erase: "<erase>", release: () => expect.unreachable("the TUI keeps raw mode") };
    const { out, written } = sink();
    replaceEarlyFrameOnFirstWrite(out);
    out.write("frame 1");
    out.write(Buffer.from("frame 2"));
    expect(written).toEqual(["<erase>frame 1", "frame 2"]);
    expect(slot.__colleagueEarlyFrame).toBeUndefined();
  });

  it("any other way out erases it once and gives the terminal back", () => {
    let released = 0;
    slot.__colleagueEarlyFrame = { erase: "<erase>", release: () => released++ };
    const { out, written } = sink();
    dropEarlyFrame(out);
    dropEarlyFrame(out);
    replaceEarlyFrameOnFirstWrite(out);
    out.write("error line");
    expect(written).toEqual(["<erase>", "error line"]);
    expect(released).toBe(1);
  });
});

let pane: TmuxPane | undefined;
afterEach(() => pane?.close());

describeIfAvailable("the early frame on a terminal (driven in tmux)", hasTmux ? undefined : "tmux is not installed (apt-get install tmux)", () => {
  const start = (flags: string, files: Record<string, string> = {}) => {
    const cwd = tempRepo(files);
    writeFileSync(path.join(cwd, "scenario.json"), JSON.stringify({ steps: [{ text: "Answer to the early task." }] }));
    const env = cleanEnv({ TERM: "xterm-256color", COLLEAGUE_HOME: tempRepo() });
    delete env.CI; // Ink draws no live frames under CI
    pane = new TmuxPane(`${process.execPath} ${BIN} ${flags}; sleep 20`, { cwd, env, width: 90, height: 30 });
    return pane;
  };

  it("keeps what is typed before the TUI is up, and leaves one frame on the screen", async () => {
    const p = start("--model scripted:scenario.json");
    await p.waitFor((s) => s.includes("enter send"), "the first frame", 45_000);
    p.type("an early task", "Enter");
    // The answer and the input box's hint together: on a loaded machine a capture can fall between
    // Ink printing the answer and redrawing the box under it, where no frame shows at all.
    const screen = await p.waitFor((s) => s.includes("Answer to the early task.") && s.includes("enter send"), "the answer to what was typed early, under the redrawn box", 45_000);
    expect(screen).toContain("› an early task");
    expect(screen.split("\n").filter((l) => l.startsWith("╭"))).toHaveLength(1);
    expect(screen).not.toContain("starting…");
  });

  it("is taken off the screen when the TUI refuses to open (a bad flag): only the error remains", async () => {
    const p = start("--model scripted:scenario.json --permission-mode bogus");
    const screen = await p.waitFor((s) => s.includes("colleague:"), "the error line", 45_000);
    expect(screen).not.toContain("enter send");
    expect(screen).not.toContain("╭");
  });

  it("is taken off the screen before the trust question, and the TUI opens after the answer", async () => {
    const hooks = JSON.stringify({ hooks: { Stop: [{ hooks: [{ type: "command", command: "true" }] }] } });
    const p = start("--model scripted:scenario.json", { "colleague.json": hooks });
    let screen = await p.waitFor((s) => s.includes("[trust]"), "the trust question", 45_000);
    expect(screen).not.toContain("enter send");
    expect(screen).not.toContain("╭");
    p.type("n", "Enter");
    screen = await p.waitFor((s) => s.includes("· idle"), "the TUI after the answer", 45_000);
    expect(screen.split("\n").filter((l) => l.startsWith("╭"))).toHaveLength(1);
    expect(screen).not.toContain("starting…");
  });
});
