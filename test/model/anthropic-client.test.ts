import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createModel } from "../../src/model/anthropic.js";
import { findModel } from "../../src/model/catalog.js";
import { type FakeServer, sseFrame, startFakeServer, writeJson } from "../fakes/http.js";
import { collect, hiRequest, noRetry, serversClosedAfterEach } from "./stream-helpers.js";

// The Messages API as the adapter speaks it without the SDK: what goes on the wire, and what a
// server's odd answers become.
const opus = findModel("anthropic", "claude-opus-4-6")!;
const retry = noRetry;
const request = hiRequest;
const servers = serversClosedAfterEach();

const reply = [
  sseFrame({ type: "message_start", message: { id: "msg_1", type: "message", role: "assistant", model: "claude-opus-4-6", content: [], stop_reason: null, usage: { input_tokens: 3, output_tokens: 0 } } }, "message_start"),
  sseFrame({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }, "content_block_start"),
  sseFrame({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "ok" } }, "content_block_delta"),
  sseFrame({ type: "content_block_stop", index: 0 }, "content_block_stop"),
  sseFrame({ type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 1 } }, "message_delta"),
  sseFrame({ type: "message_stop" }, "message_stop"),
].join("");

async function serve(handler: Parameters<typeof startFakeServer>[0]): Promise<FakeServer> {
  const server = await startFakeServer(handler);
  servers.push(server);
  return server;
}

describe("the Anthropic wire client", () => {
  it("posts to the base URL's own path with the key, the API version and the configured headers", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(reply);
    });
    const model = createModel("anthropic:claude-opus-4-6", opus, { apiKey: "sk-ant-x", baseURL: `${server.url}/proxy/`, retry, headers: { "X-Team": "red", "Anthropic-Beta": "b1" } });
    const events = await collect(model.stream(request));
    expect(events.at(-1)).toMatchObject({ type: "done" });
    const sent = server.requests[0]!;
    expect(sent.path).toBe("/proxy/v1/messages");
    expect(sent.headers).toMatchObject({ "x-api-key": "sk-ant-x", "anthropic-version": "2023-06-01", "x-team": "red", "anthropic-beta": "b1", "content-type": "application/json" });
    expect(sent.headers.accept).toBe("text/event-stream");
    expect(sent.body).toMatchObject({ model: "claude-opus-4-6", stream: true });
  });

  it("reads a gzip-compressed stream a proxy sent anyway", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream", "content-encoding": "gzip" });
      res.end(gzipSync(reply));
    });
    const model = createModel("anthropic:claude-opus-4-6", opus, { apiKey: "k", baseURL: server.url, retry });
    const events = await collect(model.stream(request));
    expect(events.at(-1)).toMatchObject({ type: "done", message: { content: [{ type: "text", text: "ok" }] } });
  });

  it("turns a proxy's HTML error page into one readable line with its status, not a JSON error", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(502, { "content-type": "text/html" });
      res.end("<html>\n<body>Bad gateway</body>\n</html>\n");
    });
    const model = createModel("anthropic:claude-opus-4-6", opus, { apiKey: "k", baseURL: server.url, retry });
    const events = await collect(model.stream(request));
    const error = events.find((e) => e.type === "error");
    expect(error).toMatchObject({ type: "error", error: { kind: "server", status: 502 } });
    expect((error as { error: { message: string } }).error.message).toMatch(/^anthropic 502 error: <html> <body>Bad gateway<\/body> <\/html> \(gave up/);
  });

  it("counts tokens at /v1/messages/count_tokens, and gives up quietly (undefined) when the server cannot", async () => {
    const server = await serve((req, res) => {
      if (req.path === "/v1/messages/count_tokens") writeJson(res, 200, { input_tokens: 42 });
      else writeJson(res, 404, { type: "error", error: { type: "not_found_error", message: "no" } });
    });
    const model = createModel("anthropic:claude-opus-4-6", opus, { apiKey: "k", baseURL: server.url, retry });
    expect(await model.countTokens!(request)).toBe(42);
    expect(server.requests[0]!.body).not.toHaveProperty("stream");
    const broken = createModel("anthropic:claude-opus-4-6", opus, { apiKey: "k", baseURL: `${server.url}/nowhere`, retry });
    expect(await broken.countTokens!(request)).toBeUndefined();
  });
});
