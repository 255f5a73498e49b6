/** One server-sent event: its `event:` name (null when it had none) and its `data:` lines joined by "\n". */
export interface ServerSentEvent {
  event: string | null;
  data: string;
}

/**
 * Server-sent events from a byte stream, framed as the HTML standard says: lines end in LF, CRLF
 * or CR; a blank line dispatches; `data:` lines accumulate; a line starting with ":" is a
 * comment; one space after the colon is dropped; an event without data is not dispatched. Bytes
 * are decoded as UTF-8 across chunk boundaries. An unterminated last event is dispatched at the
 * end, as the provider SDKs do (a server that closes right after its last frame loses nothing).
 */
export async function* serverSentEvents(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  let buffered = "";
  let event: string | null = null;
  let data: string[] = [];
  let hasData = false;
  // A CR at a chunk's end may be the first half of a CRLF: the LF that follows is skipped.
  let skipLF = false;

  const take = (line: string): ServerSentEvent | undefined => {
    if (line === "") {
      const out = hasData ? { event, data: data.join("\n") } : undefined;
      event = null;
      data = [];
      hasData = false;
      return out;
    }
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") event = value;
    else if (field === "data") {
      data.push(value);
      hasData = true;
    }
    return undefined;
  };

  const lines = function* (text: string, final: boolean): Generator<string> {
    let start = 0;
    if (skipLF && text.startsWith("\n")) start = 1;
    skipLF = false;
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      yield text.slice(start, i);
      if (c === 13) {
        if (i + 1 < text.length) {
          if (text.charCodeAt(i + 1) === 10) i++;
        } else skipLF = true;
      }
      start = i + 1;
    }
    buffered = text.slice(start);
    if (final && buffered) {
      yield buffered;
      buffered = "";
    }
  };

  for await (const chunk of chunks) {
    for (const line of lines(buffered + decoder.decode(chunk, { stream: true }), false)) {
      const out = take(line);
      if (out) yield out;
    }
  }
  for (const line of lines(buffered + decoder.decode(), true)) {
    const out = take(line);
    if (out) yield out;
  }
  const last = take("");
  if (last) yield last;
}
