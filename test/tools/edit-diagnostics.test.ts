import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { AgentEvent } from "../../src/agent/events.js";
import { loadConfig } from "../../src/config/config.js";
import { trustProject } from "../../src/config/trust.js";
import { Host } from "../../src/host/host.js";
import { createScriptedModel } from "../../src/model/scripted.js";
import { ofType, tempRepo } from "../helpers.js";

const fake = path.join(import.meta.dirname, "..", "fakes", "lsp-server.mjs");
const server = (...flags: string[]) => ({ fake: { command: [process.execPath, fake, ...flags], extensions: [".ts"], languageId: "typescript" } });

/** Two edits of app.ts by a scripted model; returns what the model read back from each. */
async function editTwice(diagnostics: object | undefined, env: NodeJS.ProcessEnv = {}) {
  const home = tempRepo({ "config.json": JSON.stringify(diagnostics ? { diagnostics } : {}) });
  const repo = tempRepo({ "app.ts": "const a = 1; // ERROR(already broken)\nconst b = 2;\n" });
  const model = createScriptedModel({
    steps: [
      { toolCalls: [{ name: "edit_file", args: { path: "app.ts", old_string: "const b = 2;", new_string: "const b: number = 'x'; // ERROR(Type 'string' is not assignable to type 'number'.)" } }] },
      { toolCalls: [{ name: "write_file", args: { path: "app.ts", content: "const a = 1;\nconst b = 2;\n" } }] },
      { text: "done" },
    ],
  });
  const host = new Host({ store: ":memory:", home, env: { ...process.env, ...env, COLLEAGUE_HOME: home } });
  const events: AgentEvent[] = [];
  await host.startSession({ task: "edit", cwd: repo, model, permissionMode: "full-auto", sandbox: "off" }, { onEvent: (e) => events.push(e) });
  host.close();
  return ofType(events, "tool_finished").map((e) => e.content.map((p) => (p.type === "text" ? p.text : "")).join("\n"));
}

describe("diagnostics after edits", () => {
  it("adds only the errors an edit introduced, from a push server that publishes in passes", async () => {
    const [first, second] = await editTwice({ enabled: true, servers: server() });
    expect(first).toContain("fake reports 1 new error after this edit:");
    expect(first).toContain("app.ts:2:27 error 2322: Type 'string' is not assignable to type 'number'.");
    expect(first).not.toContain("already broken");
    // Fixing errors adds nothing; warnings never count.
    expect(second).not.toContain("new error");
  });

  it("asks a pull server (LSP 3.17 textDocument/diagnostic)", async () => {
    const [first] = await editTwice({ enabled: true, servers: server("--pull") });
    expect(first).toContain("fake reports 1 new error");
  });

  it("a server that crashes never fails the edit, and the model is told once", async () => {
    const [first, second] = await editTwice({ enabled: true, servers: server("--crash"), timeoutMs: 1000 });
    expect(first).toMatch(/Edited app\.ts|app\.ts/);
    expect(first).toMatch(/\(No diagnostics: fake (exited|did not answer)/);
    expect(second).not.toContain("No diagnostics");
  });

  it("a server that never answers costs at most the timeout and adds nothing", async () => {
    const [first] = await editTwice({ enabled: true, servers: server("--silent"), timeoutMs: 300 });
    expect(first).not.toContain("new error");
  });

  it("is off unless turned on, and a missing server is silent", async () => {
    const [off] = await editTwice(undefined);
    expect(off).not.toMatch(/new error|diagnostics/i);
    const [missing] = await editTwice({ enabled: true, servers: { ts: { command: ["/nonexistent/lsp"], extensions: [".ts"] } } });
    expect(missing).not.toMatch(/new error|diagnostics/i);
  });

  it("stops the server when the session ends", async () => {
    const pidFile = path.join(tempRepo(), "pid");
    writeFileSync(pidFile, "");
    await editTwice({ enabled: true, servers: server() }, { FAKE_LSP_PID: pidFile });
    const pid = Number(readFileSync(pidFile, "utf8"));
    expect(pid).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 800));
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it("a project turns diagnostics on (its language servers run its code) only once trusted", () => {
    const home = tempRepo();
    const repo = tempRepo({ "colleague.json": JSON.stringify({ diagnostics: { enabled: true } }) });
    expect(loadConfig(repo, { COLLEAGUE_HOME: home }).config.diagnostics).toBeUndefined();
    trustProject(home, repo);
    expect(loadConfig(repo, { COLLEAGUE_HOME: home }).config.diagnostics).toEqual({ enabled: true });
  });
});
