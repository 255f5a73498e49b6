// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about ${VAR} expansion in config strings
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { ruleProblem } from "../../src/config/rules.js";
import { steeringKeys, withoutSteering } from "../../src/config/steering.js";
import { expandVariables, resolveServer } from "../../src/mcp/config.js";
import { splitArguments } from "../../src/mcp/prompts.js";
import { LazyTools, rankTools } from "../../src/mcp/tool-search.js";
import { mcpToolName } from "../../src/mcp/tools.js";
import { PermissionPolicy } from "../../src/policy/permissions.js";
import { defineTool } from "../../src/tools/define.js";
import { z } from "zod";
import { tempRepo } from "../helpers.js";
import { homeWith } from "./mcp-helpers.js";

describe("MCP server config", () => {
  it("expands ${VAR} and ${VAR:-default} like Claude Code, and names what is missing", () => {
    const missing: string[] = [];
    expect(expandVariables("${A}/${B:-fallback}/${C}", { A: "a" }, missing)).toBe("a/fallback/");
    expect(missing).toEqual(["C"]);
  });

  it("type defaults to stdio for a command and http for a url; broken entries are one line", () => {
    expect(resolveServer("gh", { command: "npx", args: ["-y", "${PKG}"], env: { T: "${TOKEN}" } }, { PKG: "p", TOKEN: "t" }, 1000)).toEqual({
      name: "gh",
      timeoutMs: 1000,
      transport: "stdio",
      command: "npx",
      args: ["-y", "p"],
      env: { T: "t" },
    });
    expect(resolveServer("w", { url: "http://127.0.0.1:1/mcp", timeout: 5 }, {}, 1000)).toMatchObject({ transport: "http", timeoutMs: 5 });
    expect(resolveServer("w", { type: "sse", url: "http://127.0.0.1:1/sse" }, {}, 1000)).toMatchObject({ transport: "sse" });
    expect(resolveServer("w", {}, {}, 1000)).toEqual({ problem: 'MCP server "w" has neither "command" (stdio) nor "url" (http)' });
    expect(resolveServer("bad name", { command: "x" }, {}, 1000)).toMatchObject({ problem: expect.stringContaining("letters, digits") });
  });

  it("a project's mcpServers are steering settings: left out until trusted; .mcp.json is read at the root", () => {
    expect(steeringKeys({ mcpServers: { gh: {} } })).toEqual(["mcpServers.gh"]);
    expect(withoutSteering({ effort: "low", mcpServers: { gh: { command: "x" } } })).toEqual({ effort: "low" });
    const repo = tempRepo({
      ".git/HEAD": "",
      "colleague.json": JSON.stringify({ mcpServers: { a: { command: "a" } } }),
      ".mcp.json": JSON.stringify({ mcpServers: { b: { command: "b", someOtherClientsKey: true } } }),
    });
    const home = homeWith({ mcpServers: { mine: { command: "m" } } });
    const loaded = loadConfig(repo, {}, home);
    expect(Object.keys(loaded.config.mcpServers ?? {})).toEqual(["mine"]);
    expect(loaded.ignored).toEqual([
      { file: path.join(repo, "colleague.json"), keys: ["mcpServers.a"] },
      { file: path.join(repo, ".mcp.json"), keys: ["mcpServers.b"] },
    ]);
  });
});

describe("permission rules on MCP tools", () => {
  const call = (name: string) => ({ type: "tool_call" as const, id: "1", name, args: {} });
  const policy = (rules: { allow?: string[]; deny?: string[] }) => new PermissionPolicy({ user: { permissions: { mode: "ask", ...rules } }, project: {} });

  it("mcp__server and mcp__server__* cover the server's tools only; * inside a name is a wildcard", () => {
    expect(policy({ allow: ["mcp__github__*"] }).decide(call("mcp__github__create_issue"), undefined, "/w").decision).toBe("allow");
    expect(policy({ allow: ["mcp__github"] }).decide(call("mcp__github__create_issue"), undefined, "/w").decision).toBe("allow");
    expect(policy({ allow: ["mcp__github"] }).decide(call("mcp__githubber__x"), undefined, "/w").decision).toBe("ask");
    expect(policy({ allow: ["mcp__github__*"], deny: ["mcp__github__delete_*"] }).decide(call("mcp__github__delete_repo"), undefined, "/w").decision).toBe("deny");
    expect(policy({}).decide(call("mcp__github__create_issue"), undefined, "/w")).toMatchObject({ decision: "ask", reason: "ask mode asks before running mcp__github__create_issue" });
    expect(ruleProblem("mcp__github__*")).toBeUndefined();
    expect(ruleProblem("mcp__github__delete_*")).toBeUndefined();
  });
});

describe("tool search", () => {
  const tool = (name: string, description: string) => defineTool({ name, description, parameters: z.object({}), readOnly: false, execute: async () => ({ content: "" }) });
  const tools = [tool("mcp__gh__create_issue", "Create a GitHub issue"), tool("mcp__gh__list_prs", "List pull requests"), tool("mcp__wx__forecast", "Weather forecast for a city")];

  it("ranks name matches above description matches; select: picks exact names", () => {
    expect(rankTools(tools, "issue").map((t) => t.name)).toEqual(["mcp__gh__create_issue"]);
    expect(rankTools(tools, "weather city").map((t) => t.name)).toEqual(["mcp__wx__forecast"]);
    expect(rankTools(tools, "??")).toEqual([]);
    const lazy = new LazyTools(tools);
    expect(lazy.search("select:mcp__gh__list_prs, mcp__nope", 5).map((t) => t.name)).toEqual(["mcp__gh__list_prs"]);
  });

  it("loaded tools are appended once, in the order found, after the base", () => {
    const base = [tool("read_file", "r")];
    const lazy = new LazyTools(tools);
    lazy.load([tools[2]!]);
    lazy.load([tools[0]!, tools[2]!]);
    expect(lazy.offered(base).map((t) => t.name)).toEqual(["read_file", "mcp__wx__forecast", "mcp__gh__create_issue"]);
  });

  it("tool names keep to what providers accept; prompt arguments split with the rest in the last", () => {
    expect(mcpToolName("my-srv", "get.thing/v2")).toBe("mcp__my-srv__get_thing_v2");
    expect(mcpToolName("s", "x".repeat(80))).toHaveLength(64);
    expect(splitArguments("a b c d", 2)).toEqual(["a", "b c d"]);
    expect(splitArguments("  ", 2)).toEqual([]);
  });
});
