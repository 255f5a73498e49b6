import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import type { AgentEvent } from "../../src/agent/events.js";
import { sandboxWorksHere } from "../../src/host/sandbox.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import { BIN } from "../cli/cli-helpers.js";
import { describeIfAvailable } from "../requires.js";
import { hasTmux, TmuxPane } from "../tui/tmux.js";
import { type Attempt, askCall, attemptWorld, escapeCalls, expectContained, expectDecided, readAudit, soloScenario, writeJson } from "./containment.js";

let pane: TmuxPane | undefined;
const worlds: Attempt[] = [];
afterEach(() => {
  pane?.close();
  for (const w of worlds.splice(0)) w.close();
});

async function tui(scenario: unknown, flags: string[]): Promise<{ w: Attempt; p: TmuxPane; events: () => AgentEvent[] }> {
  const w = await attemptWorld({ TERM: "xterm-256color" });
  worlds.push(w);
  // Ink renders no live frames when CI is set (is-in-ci).
  delete w.env.CI;
  const file = writeJson(path.join(w.base, "s.json"), typeof scenario === "function" ? scenario(w) : scenario);
  pane = new TmuxPane(`${process.execPath} ${BIN} --model scripted:${file} ${flags.join(" ")}`, { cwd: w.workspace, env: w.env, height: 50 });
  await pane.waitFor((s) => s.includes("enter send"), "the input box", 45_000);
  const events = () => {
    const store = new SqliteStore(path.join(w.colleagueHome, "sessions.db"));
    try {
      const row = store.listSessions(1)[0];
      return row ? store.events(row.id) : [];
    } finally {
      store.close();
    }
  };
  return { w, p: pane, events };
}

const missing = !hasTmux ? "tmux is not installed (apt-get install tmux)" : !sandboxWorksHere() ? "no sandbox backend works on this machine" : undefined;

describeIfAvailable("containment in the terminal UI (tmux)", missing, () => {
  it("full-auto: the escapes are refused or contained, decided and audited; the status line names the sandbox", async () => {
    const { w, p, events } = await tui((world: Attempt) => soloScenario(escapeCalls(world)), ["--permission-mode", "full-auto"]);
    p.type("try to get out", "Enter");
    const screen = await p.waitFor((s) => s.includes("✓ done"), "the end of the task", 60_000);
    expect(screen).toMatch(/full-auto\/(bwrap|userns)/);
    expect(screen).toContain("⊘ write_file denied");
    const log = events();
    expectContained(w, log);
    expectDecided(w, log, ["write_file", "shell", "read_file"]);
    p.type("/exit", "Enter");
    await p.waitFor(() => !p.alive(), "the TUI to exit");
  }, 120_000);

  it("ask mode: the command shows on a card; 'no, with a reason' reaches the model; an approved edit shows its diff first", async () => {
    const scenario = {
      steps: [
        { toolCalls: [askCall()] },
        { expect: { lastMessageIncludes: ["use the makefile instead"] }, toolCalls: [{ name: "write_file", args: { path: "README.md", content: "# a project\nwith a second line\n" } }] },
        { text: "Done as you said." },
      ],
    };
    const { w, p, events } = await tui(scenario, []);
    p.type("write a file", "Enter");
    let screen = await p.waitFor((s) => s.includes("approve? shell: echo asked > asked.txt"), "the approval card");
    expect(screen).toContain("r no, with a reason");
    p.type("r");
    await p.waitFor((s) => s.includes("why not?"), "the reason prompt");
    p.type("use the makefile instead", "Enter");
    screen = await p.waitFor((s) => s.includes("approve? write_file"), "the second card, with a diff");
    expect(screen).toContain("+with a second line");
    expect(screen).toContain("@@ -1,1 +1,2 @@");
    p.type("y");
    screen = await p.waitFor((s) => s.includes("✓ done"), "the end of the task", 60_000);
    expect(screen).toContain("✗ denied shell echo asked > asked.txt — use the makefile instead");
    expect(existsSync(path.join(w.workspace, "asked.txt"))).toBe(false);
    expect(readFileSync(path.join(w.workspace, "README.md"), "utf8")).toContain("with a second line");
    const decisions = events().filter((e) => e.type === "permission_decision");
    expect(decisions.map((d) => d.type === "permission_decision" && [d.name, d.decision, d.via, d.answer])).toEqual([
      ["shell", "deny", "approval", "deny"],
      ["write_file", "allow", "approval", "once"],
    ]);
    const audited = readAudit(w).filter((r) => r.kind === "approval");
    expect(audited.map((r) => r.data.reason)).toEqual([expect.stringContaining("the user said: use the makefile instead"), expect.any(String)]);
    p.type("/exit", "Enter");
    await p.waitFor(() => !p.alive(), "the TUI to exit");
  }, 120_000);
});
