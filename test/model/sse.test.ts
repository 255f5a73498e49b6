import { describe, expect, it } from "vitest";
import { type ServerSentEvent, serverSentEvents } from "../../src/model/sse.js";

async function read(...chunks: (string | Uint8Array)[]): Promise<ServerSentEvent[]> {
  async function* source() {
    for (const c of chunks) yield typeof c === "string" ? Buffer.from(c) : c;
  }
  const out: ServerSentEvent[] = [];
  for await (const e of serverSentEvents(source())) out.push(e);
  return out;
}

describe("server-sent events", () => {
  it("frames events by blank lines, with their names, and joins multi-line data", async () => {
    expect(await read("event: a\ndata: 1\n\nevent: b\ndata: x\ndata: y\n\n")).toEqual([
      { event: "a", data: "1" },
      { event: "b", data: "x\ny" },
    ]);
  });

  it("reads CRLF and CR line ends, a CRLF split across chunks included", async () => {
    expect(await read("event: a\r\ndata: 1\r", "\n\r", "\nevent: b\rdata: 2\r\r")).toEqual([
      { event: "a", data: "1" },
      { event: "b", data: "2" },
    ]);
  });

  it("skips comments and events without data, drops only one space after the colon, and takes a field with no colon as empty", async () => {
    expect(await read(": keep-alive\n\nevent: empty\n\ndata:  two spaces\n\ndata\n\n")).toEqual([
      { event: null, data: " two spaces" },
      { event: null, data: "" },
    ]);
  });

  it("decodes UTF-8 split across chunks and dispatches an unterminated last event at the end", async () => {
    const bytes = Buffer.from('event: t\ndata: {"text":"héllo 日本"}');
    const parts = [bytes.subarray(0, 22), bytes.subarray(22, 27), bytes.subarray(27)];
    expect(await read(...parts)).toEqual([{ event: "t", data: '{"text":"héllo 日本"}' }]);
  });

  it("reads a frame whose lines arrive one byte at a time", async () => {
    const text = "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    expect(await read(...[...text])).toEqual([{ event: "message_stop", data: '{"type":"message_stop"}' }]);
  });
});
