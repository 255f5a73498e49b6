import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentEvent } from "../../src/agent/events.js";
import { loadConfig } from "../../src/config/config.js";
import { trustProject } from "../../src/config/trust.js";
import { Host } from "../../src/host/host.js";
import { createScriptedModel } from "../../src/model/scripted.js";
import { ofType, tempRepo } from "../helpers.js";

/** One fake search service speaking Brave's, Tavily's and SearXNG's JSON on their paths. */
const seen: { path: string; headers: IncomingMessage["headers"]; body: string }[] = [];
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (c) => {
    body += c;
  });
  req.on("end", () => {
    seen.push({ path: req.url ?? "", headers: req.headers, body });
    const url = new URL(req.url ?? "/", "http://x");
    res.setHeader("content-type", "application/json");
    if (url.pathname === "/res/v1/web/search") {
      if (req.headers["x-subscription-token"] !== "brave-key") {
        res.writeHead(401).end(JSON.stringify({ error: { code: "SUBSCRIPTION_TOKEN_INVALID" } }));
        return;
      }
      res.end(JSON.stringify({ type: "search", web: { results: [{ title: "Node 20 <strong>release</strong>", url: "https://nodejs.org/en/blog/release/v20.0.0", description: "Node.js <strong>20</strong> is out" }] } }));
    } else if (url.pathname === "/search" && req.method === "POST") {
      res.end(JSON.stringify({ query: JSON.parse(body).query, results: [{ title: "Tavily hit", url: "https://example.org/t", content: "a snippet", score: 0.9 }] }));
    } else if (url.pathname === "/search") {
      res.end(JSON.stringify({ query: url.searchParams.get("q"), results: [] }));
    } else res.writeHead(404).end("{}");
  });
});
let base = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

const searchOnce = (query: string) =>
  createScriptedModel({ steps: [{ toolCalls: [{ name: "web_search", args: { query } }] }, { text: "done" }] });

async function runSearch(config: object, env: NodeJS.ProcessEnv = {}) {
  const home = tempRepo({ "config.json": JSON.stringify(config) });
  const notices: string[] = [];
  const host = new Host({ store: ":memory:", home, env: { ...env, COLLEAGUE_HOME: home }, onNotice: (l) => notices.push(l) });
  const events: AgentEvent[] = [];
  const result = await host.startSession(
    { task: "look it up", cwd: tempRepo(), model: searchOnce("node 20 release"), permissionMode: "full-auto", sandbox: "off" },
    { onEvent: (e) => events.push(e) },
  );
  host.close();
  return { result, notices, results: ofType(events, "tool_finished") };
}

describe("web_search", () => {
  it("queries Brave with the user's key and gives titles, URLs and snippets", async () => {
    const { results } = await runSearch({ webSearch: { provider: "brave", url: base } }, { BRAVE_API_KEY: "brave-key" });
    const text = JSON.stringify(results[0]);
    expect(results[0]!.isError).toBe(false);
    expect(text).toContain("https://nodejs.org/en/blog/release/v20.0.0");
    expect(text).toContain("Node.js 20 is out");
    expect(seen.at(-1)!.path).toContain("q=node+20+release");
  });

  it("speaks Tavily's POST and SearXNG's JSON format", async () => {
    const tavily = await runSearch({ webSearch: { provider: "tavily", url: base, apiKey: "tv-key" } });
    expect(JSON.stringify(tavily.results[0])).toContain("https://example.org/t");
    expect(seen.at(-1)!.headers.authorization).toBe("Bearer tv-key");
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ query: "node 20 release", max_results: 8 });
    const searx = await runSearch({ webSearch: { provider: "searxng", url: base } });
    expect(JSON.stringify(searx.results[0])).toContain('No results for \\"node 20 release\\"');
    expect(seen.at(-1)!.path).toContain("format=json");
  });

  it("a rejected key is a tool error the model reads, and the session goes on", async () => {
    const { result, results } = await runSearch({ webSearch: { provider: "brave", url: base, apiKey: "wrong" } });
    expect(results[0]!.isError).toBe(true);
    expect(JSON.stringify(results[0])).toContain("brave answered 401");
    expect(result.status).toBe("completed");
  });

  it("without a key the tool is not offered and one notice says what to set", async () => {
    const { notices, results } = await runSearch({ webSearch: { provider: "brave" } });
    expect(notices).toContain("webSearch: brave needs a key: set BRAVE_API_KEY or webSearch.apiKey; web_search is not offered");
    expect(JSON.stringify(results[0])).toMatch(/unknown tool|no tool|not available/i);
  });

  it("asks before searching in ask mode: the query leaves the machine", async () => {
    const home = tempRepo({ "config.json": JSON.stringify({ webSearch: { provider: "searxng", url: base } }) });
    const host = new Host({ store: ":memory:", home, env: { COLLEAGUE_HOME: home } });
    const events: { type: string; decision?: string }[] = [];
    await host.startSession({ task: "t", cwd: tempRepo(), model: searchOnce("q"), permissionMode: "ask", sandbox: "off" }, { onEvent: (e) => events.push(e as never) });
    host.close();
    expect(events.find((e) => e.type === "permission_decision")).toMatchObject({ decision: "deny" });
  });

  it("an untrusted project cannot name a search service; a trusted one can", () => {
    const home = tempRepo();
    const repo = tempRepo({ "colleague.json": JSON.stringify({ webSearch: { provider: "searxng", url: "http://evil.example" } }) });
    expect(loadConfig(repo, { COLLEAGUE_HOME: home }).config.webSearch).toBeUndefined();
    trustProject(home, repo);
    expect(loadConfig(repo, { COLLEAGUE_HOME: home }).config.webSearch).toEqual({ provider: "searxng", url: "http://evil.example" });
  });
});
