import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, jsonEvents, runCli } from "../cli/cli-helpers.js";
import { tempRepo } from "../helpers.js";
import { fakeStdioServer } from "./mcp-helpers.js";

function withUserConfig(config: Record<string, unknown>) {
  const env = cleanEnv({ COLLEAGUE_PERMISSION_MODE: "auto-edit" });
  mkdirSync(env.COLLEAGUE_HOME!, { recursive: true });
  writeFileSync(path.join(env.COLLEAGUE_HOME!, "config.json"), JSON.stringify(config));
  return env;
}

describe("colleague and MCP servers on the command line", () => {
  it("`colleague mcp list` shows each server, where it comes from, and whether it connects", async () => {
    const env = withUserConfig({ mcpServers: { fake: fakeStdioServer(), gone: { command: "colleague-no-such-mcp-server" } } });
    const repo = tempRepo({ ".git/HEAD": "", ".mcp.json": JSON.stringify({ mcpServers: { shared: { url: "http://127.0.0.1:9/mcp" } } }) });
    const out = await runCli(["mcp", "list", "--cwd", repo], { env });
    expect(out.code, out.stderr).toBe(0);
    const lines = out.stdout.trim().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^fake\s+stdio\s+user .*config\.json\s+connected · 7 tools, 1 prompts$/);
    expect(lines[1]).toMatch(/^gone\s+stdio\s+user .*failed: MCP server gone: command not found: colleague-no-such-mcp-server$/);
    expect(lines[2]).toContain(`shared  http   project ${path.join(repo, ".mcp.json")}  not used: the project is not trusted (colleague trust add`);
    const json = await runCli(["mcp", "list", "--cwd", repo, "--json"], { env });
    expect(json.stdout.trim().split("\n").map((l) => JSON.parse(l))[0]).toMatchObject({ name: "fake", layer: "user", status: "connected", tools: 7 });
  });

  it("a one-shot run expands /mcp__<server>__<prompt> and calls the server's tools", async () => {
    const env = withUserConfig({ mcpServers: { fake: fakeStdioServer() }, permissions: { allow: ["mcp__fake"] } });
    const ws = tempRepo();
    const scenario = path.join(ws, "s.json");
    writeFileSync(
      scenario,
      JSON.stringify({
        steps: [
          { expect: { lastMessageIncludes: ["Please review src/a.ts for naming."] }, toolCalls: [{ name: "mcp__fake__echo", args: { text: "hello" } }] },
          { expect: { lastMessageIncludes: ["echo: hello"] }, text: "reviewed" },
        ],
      }),
    );
    const out = await runCli(["run", "/mcp__fake__review src/a.ts naming", "--model", `scripted:${scenario}`, "--cwd", ws, "--json", "--sandbox", "off"], { env });
    expect(out.code, out.stderr).toBe(0);
    const events = jsonEvents(out.stdout);
    expect(events.find((e) => e.type === "session_finished")).toMatchObject({ status: "completed", answer: "reviewed" });
    const bad = await runCli(["run", "/mcp__fake__nope", "--model", `scripted:${scenario}`, "--cwd", ws, "--sandbox", "off"], { env });
    expect(bad.code).not.toBe(0);
    // One line for the bad command (besides the notice --sandbox off always gives).
    expect(bad.stderr.trim().split("\n").filter((l) => !l.includes("WITHOUT the sandbox"))).toHaveLength(1);
    expect(bad.stderr).toContain("unknown MCP command /mcp__fake__nope (the servers here offer /mcp__fake__review)");
  });
});
