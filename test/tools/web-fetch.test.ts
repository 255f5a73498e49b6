import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ToolCallPart } from "../../src/model/types.js";
import { PermissionPolicy } from "../../src/policy/permissions.js";
import { webFetchTool } from "../../src/tools/web-fetch.js";
import { cleanEnv, jsonEvents, runCli, scenarioFile } from "../cli/cli-helpers.js";
import { tempRepo } from "../helpers.js";
import { sandbox } from "./helpers.js";

const PAGE = `<!doctype html><html><head><title>Release notes</title><style>body{color:red}</style></head>
<body><h2>Version 2</h2><p>Now with <b>rewind</b> and <a href="/docs">docs</a>.</p>
<script>alert("never shown")</script><ul><li>one</li><li>two</li></ul></body></html>`;

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/page") res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
    else if (req.url === "/same") res.writeHead(302, { location: "/page" }).end();
    else if (req.url === "/away") res.writeHead(301, { location: "http://example.invalid/x" }).end();
    else if (req.url === "/big") res.writeHead(200, { "content-type": "text/plain" }).end("x".repeat(60_000));
    else if (req.url === "/image") res.writeHead(200, { "content-type": "image/png" }).end(Buffer.alloc(10));
    else res.writeHead(404, { "content-type": "text/plain" }).end("no such page");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

describe("web_fetch", () => {
  it("returns a page served on 127.0.0.1 as markdown, without scripts or styles", async () => {
    const out = await sandbox().call(webFetchTool, { url: `${base}/page` });
    expect(out.isError).toBe(false);
    expect(out.text).toContain("# Release notes");
    expect(out.text).toContain("## Version 2");
    expect(out.text).toContain("Now with **rewind** and [docs](/docs).");
    expect(out.text).toMatch(/^- {1,3}one$/m);
    expect(out.text).not.toContain("alert");
    expect(out.text).not.toContain("color:red");
  });

  it("follows a redirect on the same host and hands back one to another host", async () => {
    const box = sandbox();
    expect((await box.call(webFetchTool, { url: `${base}/same` })).text).toContain("## Version 2");
    const away = await box.call(webFetchTool, { url: `${base}/away` });
    expect(away.text).toContain("redirects to http://example.invalid/x (another host)");
  });

  it("cuts long pages, and refuses errors, binaries and other schemes with a readable message", async () => {
    const box = sandbox();
    const big = await box.call(webFetchTool, { url: `${base}/big`, max_chars: 1000 });
    expect(big.text).toContain("59000 more characters");
    expect(await box.call(webFetchTool, { url: `${base}/missing` })).toMatchObject({ isError: true, text: expect.stringContaining("404") });
    expect(await box.call(webFetchTool, { url: `${base}/image` })).toMatchObject({ isError: true, text: expect.stringContaining("image/png") });
    expect(await box.call(webFetchTool, { url: "file:///etc/passwd" })).toMatchObject({ isError: true, text: expect.stringContaining("Only http and https") });
  });
});

describe("web permissions", () => {
  const call = (url: string): ToolCallPart => ({ type: "tool_call", id: "c1", name: "web_fetch", args: { url } });
  const layers = (allow: string[] = []) => ({ user: { permissions: { allow } }, project: {} });

  it("allows only hosts a web rule or the sandbox's allowed hosts name, in every mode", () => {
    const policy = new PermissionPolicy(layers(["web: docs.python.org", "web: *.github.com"]), { mode: "full-auto" });
    expect(policy.decide(call("https://docs.python.org/3/"), webFetchTool, "/ws").decision).toBe("allow");
    expect(policy.decide(call("https://api.github.com/x"), webFetchTool, "/ws").decision).toBe("allow");
    const refused = policy.decide(call("https://evil.example/"), webFetchTool, "/ws");
    expect(refused).toMatchObject({ decision: "deny", reason: expect.stringContaining('"web: evil.example"') });
    const viaSandbox = new PermissionPolicy(layers(), { mode: "full-auto", extraAllow: ["web: pypi.org"] });
    expect(viaSandbox.decide(call("https://pypi.org/simple"), webFetchTool, "/ws").decision).toBe("allow");
  });

  it("a project's web rule does not open a host the user's settings keep closed", () => {
    const projectOnly = new PermissionPolicy({ user: {}, project: { permissions: { allow: ["web: a.example"] } } }, { mode: "full-auto" });
    expect(projectOnly.decide(call("https://a.example/"), webFetchTool, "/ws").decision).not.toBe("allow");
  });

  it("asks in ask mode, and an answer of always covers that host only", () => {
    const policy = new PermissionPolicy(layers(), { mode: "ask" });
    expect(policy.decide(call("https://a.example/"), webFetchTool, "/ws").decision).toBe("ask");
    policy.grant(call("https://a.example/"), webFetchTool);
    expect(policy.decide(call("https://a.example/other"), webFetchTool, "/ws").decision).toBe("allow");
    expect(policy.decide(call("https://b.example/"), webFetchTool, "/ws").decision).toBe("ask");
  });

  it("in a session: the allowed host's page reaches the model, another host is refused", async () => {
    // The user's rule: a project's allow rule cannot open a host (it only tightens).
    const ws = tempRepo({ "notes.md": "x" });
    const env = cleanEnv();
    writeFileSync(path.join(env.COLLEAGUE_HOME!, "config.json"), JSON.stringify({ permissions: { allow: ["web: 127.0.0.1"] } }));
    const port = new URL(base).port;
    const scenario = {
      steps: [
        { toolCalls: [{ name: "web_fetch", args: { url: `${base}/page` } }] },
        { toolCalls: [{ name: "web_fetch", args: { url: `http://localhost:${port}/page` } }] },
        { text: "done" },
      ],
    };
    const out = await runCli(["run", "read the notes", "--model", `scripted:${scenarioFile(scenario)}`, "--cwd", ws, "--sandbox", "off", "--json"], { env });
    expect(out.code, out.stderr).toBe(0);
    const results = jsonEvents(out.stdout).filter((e) => e.type === "tool_finished");
    const text = (i: number) => JSON.stringify(results[i]);
    expect(results[0]).toMatchObject({ isError: false });
    expect(text(0)).toContain("Now with **rewind**");
    expect(results[1]).toMatchObject({ isError: true });
    expect(text(1)).toContain("no rule allows the host localhost");
  });
});
