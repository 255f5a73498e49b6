import { describe, expect, it } from "vitest";
import { findModel } from "../../src/model/catalog.js";
import { createModel } from "../../src/model/openai.js";
import { sseFrame, startFakeServer } from "../fakes/http.js";
import { startOpenAIFake } from "../fakes/openai.js";
import { collect, hiRequest, noRetry, serversClosedAfterEach } from "./stream-helpers.js";

// The Responses API as the adapter speaks it without the SDK: what goes on the wire, and what a
// server's odd answers become.
const codex = findModel("openai", "gpt-5.3-codex")!;
const retry = noRetry;
const request = hiRequest;
const servers = serversClosedAfterEach();

describe("the OpenAI wire client", () => {
  it("posts to the base URL's own path with the key as a bearer token and the configured headers", async () => {
    const server = await startOpenAIFake([{ kind: "reply", text: "ok" }]);
    servers.push(server);
    const model = createModel("openai:gpt-5.3-codex", codex, { apiKey: "sk-x", baseURL: `${server.url}/v1/`, retry, headers: { "OpenAI-Project": "proj_1" } });
    const events = await collect(model.stream(request));
    expect(events.at(-1)).toMatchObject({ type: "done", message: { content: [{ type: "text", text: "ok" }] } });
    const sent = server.requests[0]!;
    expect(sent.path).toBe("/v1/responses");
    expect(sent.headers).toMatchObject({ authorization: "Bearer sk-x", "openai-project": "proj_1", "content-type": "application/json", accept: "text/event-stream" });
  });

  it("stops at a [DONE] frame and reads nothing after it", async () => {
    const server = await startFakeServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(`${sseFrame({ type: "response.created", response: { id: "resp_1" } }, "response.created")}data: [DONE]\n\n${sseFrame({ type: "response.completed", response: { id: "resp_1", output: [], usage: null } }, "response.completed")}`);
    });
    servers.push(server);
    const model = createModel("openai:gpt-5.3-codex", codex, { apiKey: "k", baseURL: `${server.url}/v1`, retry });
    const error = (await collect(model.stream(request))).find((e) => e.type === "error");
    expect(error).toMatchObject({ error: { kind: "connection", message: expect.stringContaining("ended before response.completed") } });
  });

  it("turns a proxy's HTML error page into one readable line with its status", async () => {
    const server = await startFakeServer((_req, res) => {
      res.writeHead(503, { "content-type": "text/html" });
      res.end("<html>\n<body>Service Unavailable</body>\n</html>\n");
    });
    servers.push(server);
    const model = createModel("openai:gpt-5.3-codex", codex, { apiKey: "k", baseURL: `${server.url}/v1`, retry });
    const error = (await collect(model.stream(request))).find((e) => e.type === "error");
    expect(error).toMatchObject({ error: { kind: "server", status: 503 } });
    expect((error as { error: { message: string } }).error.message).toMatch(/^openai 503 error: <html> <body>Service Unavailable<\/body> <\/html>/);
  });
});
