import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { BIN, cleanEnv } from "../cli/cli-helpers.js";
import { describeIfAvailable } from "../requires.js";
import { hasTmux, TmuxPane } from "../tui/tmux.js";
import { TOKEN, type TestServer, testServer } from "./server-helpers.js";

let t: TestServer | undefined;
let pane: TmuxPane | undefined;
afterEach(async () => {
  pane?.close();
  await t?.close();
  t = undefined;
});

describeIfAvailable("colleague attach (the TUI as a client of colleague serve)", hasTmux ? undefined : "tmux is not installed (apt-get install tmux)", () => {
  it("shows a served session's history and its approval card, answers it, and continues the session", async () => {
    t = await testServer();
    const cwd = t.workspace({ "README.md": "# app\n" });
    const model = t.scripted({
      steps: [
        { text: "Adding a line.", toolCalls: [{ name: "write_file", args: { path: "README.md", content: "# app\nmore\n" } }] },
        { expect: { toolResultsOk: true }, text: "Wrote it." },
        { expect: { lastMessageIncludes: ["and the changelog"] }, text: "Changelog noted too." },
      ],
    });
    const session = await t.client.createSession({ task: "extend the readme", cwd, model });
    const env = cleanEnv({ TERM: "xterm-256color" });
    delete env.CI; // Ink renders no live frames when CI is set
    pane = new TmuxPane(`${process.execPath} ${BIN} attach ${session.id.slice(0, 10)} --server ${t.server.url} --token ${TOKEN}`, { cwd, env, height: 40 });
    const p = pane;
    let screen = await p.waitFor((s) => s.includes("approve? write_file") && s.includes("› extend the readme"), "the history and the approval card", 45_000);
    expect(screen).toContain(`attached to ${session.id}`);
    expect(screen).toContain("› extend the readme");
    expect(screen).toContain("+more");
    p.type("y");
    screen = await p.waitFor((s) => s.includes("Wrote it.") && s.includes("✓ done"), "the answer");
    expect(readFileSync(path.join(cwd, "README.md"), "utf8")).toBe("# app\nmore\n");
    p.type("and the changelog", "Enter");
    await p.waitFor((s) => s.includes("Changelog noted too."), "the continued session");
    p.type("/exit", "Enter");
    await p.waitFor(() => !p.alive(), "attach to leave");
    const detail = await t.client.getSession(session.id);
    expect(detail.session.status).toBe("completed");
  }, 120_000);
});
