import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import type { Host } from "../../src/host/host.js";
import { ofType, tempRepo } from "../helpers.js";
import { fakeStdioServer, homeWith, isAlive, runWithConfig, toolTexts } from "./mcp-helpers.js";

const hosts: Host[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.closeMcp().then(() => h.close())));
});

const allowFake = { permissions: { allow: ["mcp__fake__*"] } };

describe("MCP tools over stdio in a session", () => {
  it("calls a server's tool by its mcp__ name and maps text and image results", async () => {
    const run = await runWithConfig({ mcpServers: { fake: fakeStdioServer() }, ...allowFake }, [
      { toolCalls: [{ name: "mcp__fake__echo", args: { text: "hi there" } }, { name: "mcp__fake__picture" }] },
      { expect: { lastMessageIncludes: ["echo: hi there"] }, text: "done" },
    ]);
    hosts.push(run.host);
    expect(run.result.status).toBe("completed");
    const started = ofType(run.events, "session_started")[0]!;
    expect(started.tools).toEqual(expect.arrayContaining(["read_file", "mcp__fake__echo", "mcp__fake__add"]));
    const finished = ofType(run.events, "tool_finished");
    expect(finished[0]).toMatchObject({ name: "mcp__fake__echo", isError: false, content: [{ type: "text", text: "echo: hi there" }] });
    expect(finished[1]!.content).toEqual([
      { type: "text", text: "a picture:" },
      { type: "image", mediaType: "image/png", data: expect.any(String) },
    ]);
    expect(run.notices).toEqual([]);
  });

  it("a deny rule blocks an MCP tool; in ask mode with nobody to ask, a tool asks (denied) and a readOnlyHint tool runs", async () => {
    const denied = await runWithConfig({ mcpServers: { fake: fakeStdioServer() }, permissions: { allow: ["mcp__fake"], deny: ["mcp__fake__echo"] } }, [
      { toolCalls: [{ name: "mcp__fake__echo", args: { text: "x" } }, { name: "mcp__fake__add", args: { a: 1, b: 2 } }] },
      { text: "done" },
    ]);
    hosts.push(denied.host);
    const [echo, add] = toolTexts(denied.events);
    expect(echo).toMatchObject({ isError: true });
    expect(echo!.text).toMatch(/Blocked: denied by user rule "mcp__fake__echo"/);
    expect(add).toEqual({ name: "mcp__fake__add", text: "3", isError: false });

    const asked = await runWithConfig(
      { mcpServers: { fake: fakeStdioServer() } },
      [{ toolCalls: [{ name: "mcp__fake__echo", args: { text: "x" } }, { name: "mcp__fake__add", args: { a: 2, b: 2 } }] }, { text: "done" }],
      { permissionMode: "ask" },
    );
    hosts.push(asked.host);
    const [askedEcho, readAdd] = toolTexts(asked.events);
    expect(askedEcho!.isError).toBe(true);
    expect(askedEcho!.text).not.toContain("echo: x");
    expect(readAdd).toEqual({ name: "mcp__fake__add", text: "4", isError: false });
  });

  it("a server isError result is a failed tool call", async () => {
    const run = await runWithConfig({ mcpServers: { fake: fakeStdioServer() }, ...allowFake }, [{ toolCalls: [{ name: "mcp__fake__fail" }] }, { text: "done" }]);
    hosts.push(run.host);
    expect(toolTexts(run.events)).toEqual([{ name: "mcp__fake__fail", text: "it broke", isError: true }]);
  });

  it("a server killed mid-session: the cut-off call says so, the server is restarted, the next call works", async () => {
    const run = await runWithConfig({ mcpServers: { fake: fakeStdioServer() }, ...allowFake }, [
      { toolCalls: [{ name: "mcp__fake__pid" }] },
      { toolCalls: [{ name: "mcp__fake__crash" }] },
      { toolCalls: [{ name: "mcp__fake__pid" }] },
      { text: "done" },
    ]);
    hosts.push(run.host);
    const [first, crash, second] = toolTexts(run.events);
    expect(first!.isError).toBe(false);
    expect(crash!.isError).toBe(true);
    expect(crash!.text).toMatch(/MCP server fake closed the connection while calling crash \(it may have crashed.*being restarted/);
    expect(second!.isError).toBe(false);
    expect(second!.text).not.toBe(first!.text);
    expect(isAlive(Number(first!.text))).toBe(false);
    expect(run.notices).toEqual(["MCP server fake exited and was restarted"]);
  });

  it("a slow call times out with the server's timeout, and the session goes on", async () => {
    const run = await runWithConfig({ mcpServers: { fake: fakeStdioServer({}, { timeout: 300 }) }, ...allowFake }, [
      { toolCalls: [{ name: "mcp__fake__slow", args: { ms: 10_000 } }] },
      { toolCalls: [{ name: "mcp__fake__echo", args: { text: "still here" } }] },
      { text: "done" },
    ]);
    hosts.push(run.host);
    const [slow, echo] = toolTexts(run.events);
    expect(slow).toMatchObject({ isError: true });
    expect(slow!.text).toMatch(/MCP server fake did not answer calling slow within 0.3s \(raise "timeout" in its config\)/);
    expect(echo).toMatchObject({ text: "echo: still here", isError: false });
  });

  it("a server that fails to start is one notice line and the session goes on without it", async () => {
    const run = await runWithConfig(
      {
        mcpServers: { broken: fakeStdioServer({ FAKE_MCP_FAIL: "1" }), missing: { command: "colleague-no-such-mcp-server" }, fake: fakeStdioServer() },
        ...allowFake,
      },
      [{ toolCalls: [{ name: "mcp__fake__echo", args: { text: "ok" } }] }, { text: "done" }],
    );
    hosts.push(run.host);
    expect(run.result.status).toBe("completed");
    expect(run.notices).toHaveLength(2);
    expect(run.notices.find((n) => n.includes("broken"))).toBe("MCP server broken exited while starting; it said: fake: cannot open the database; going on without it");
    expect(run.notices.find((n) => n.includes("missing"))).toBe("MCP server missing: command not found: colleague-no-such-mcp-server; going on without it");
    expect(toolTexts(run.events)).toEqual([{ name: "mcp__fake__echo", text: "echo: ok", isError: false }]);
  });

  it("closing the host ends the stdio servers it started: no orphan processes", async () => {
    const run = await runWithConfig({ mcpServers: { fake: fakeStdioServer() }, ...allowFake }, [{ toolCalls: [{ name: "mcp__fake__pid" }] }, { text: "done" }]);
    const pid = Number(toolTexts(run.events)[0]!.text);
    expect(isAlive(pid)).toBe(true);
    await run.host.closeMcp();
    run.host.close();
    expect(isAlive(pid)).toBe(false);
  });

  it("a process that exits without closing its host still ends its stdio servers, even one that ignores its stdin closing", async () => {
    const home = homeWith({ mcpServers: { fake: fakeStdioServer({ FAKE_MCP_STUBBORN: "1" }) }, ...allowFake });
    const ws = tempRepo();
    const script = `
      import { Host, createScriptedModel } from ${JSON.stringify(path.resolve("dist/index.js"))};
      const host = new Host({ home: ${JSON.stringify(home)}, store: ":memory:" });
      const model = createScriptedModel({ steps: [{ toolCalls: [{ name: "mcp__fake__pid" }] }, { text: "done" }] });
      const result = await host.startSession({ task: "t", cwd: ${JSON.stringify(ws)}, model, sandbox: "off", permissionMode: "auto-edit" });
      const finished = host.store.events(result.sessionId).find((e) => e.type === "tool_finished");
      process.stdout.write(finished.content[0].text);
      process.exit(0);
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], { cwd: ws });
    const pid = Number(stdout);
    expect(pid).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(isAlive(pid)).toBe(false);
  });

  it("an untrusted project's .mcp.json is left out with one notice; once trusted its servers run", async () => {
    const repo = tempRepo({ ".mcp.json": JSON.stringify({ mcpServers: { fake: fakeStdioServer() } }) });
    const untrusted = await runWithConfig(allowFake, [{ text: "done" }], { cwd: repo });
    hosts.push(untrusted.host);
    expect(ofType(untrusted.events, "session_started")[0]!.tools.some((t) => t.startsWith("mcp__"))).toBe(false);
    expect(untrusted.notices).toHaveLength(1);
    expect(untrusted.notices[0]).toContain(`mcpServers.fake (${path.join(repo, ".mcp.json")})`);
    expect(untrusted.notices[0]).toContain("colleague trust add");

    const { trustProject } = await import("../../src/config/trust.js");
    const home = (untrusted.host as unknown as { home: string }).home;
    trustProject(home, repo);
    writeFileSync(path.join(home, "config.json"), JSON.stringify(allowFake));
    const trusted = await untrusted.host.startSession({ task: "t", cwd: repo, model: (await import("../../src/model/scripted.js")).createScriptedModel({ steps: [{ toolCalls: [{ name: "mcp__fake__echo", args: { text: "t" } }] }, { text: "done" }] }), sandbox: "off", permissionMode: "auto-edit" });
    expect(trusted.status).toBe("completed");
    const events = untrusted.host.store.events(trusted.sessionId);
    expect(toolTexts(events)).toEqual([{ name: "mcp__fake__echo", text: "echo: t", isError: false }]);
  });
});
