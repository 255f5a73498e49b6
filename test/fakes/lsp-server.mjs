#!/usr/bin/env node
// A language server for tests, speaking LSP over stdio with Content-Length framing. Every line
// holding ERROR(<text>) is an error. Push mode publishes in two passes (nothing, then the errors)
// like servers that check syntax before types; --pull answers textDocument/diagnostic instead.
// --crash exits on the first change; --silent never publishes. Writes its pid to $FAKE_LSP_PID.
import { writeFileSync } from "node:fs";

const flags = new Set(process.argv.slice(2));
if (process.env.FAKE_LSP_PID) writeFileSync(process.env.FAKE_LSP_PID, String(process.pid));
const docs = new Map();
let buffer = Buffer.alloc(0);

const send = (message) => {
  const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...message }));
  process.stdout.write(`Content-Length: ${body.length}\r\n\r\n`);
  process.stdout.write(body);
};
const errorsOf = (text) =>
  text.split("\n").flatMap((line, i) => {
    const m = /ERROR\(([^)]*)\)/.exec(line);
    return m ? [{ range: { start: { line: i, character: m.index }, end: { line: i, character: m.index + m[0].length } }, severity: 1, code: 2322, source: "fake", message: m[1] }] : [];
  });
const warningsOf = (text) => (text.includes("WARN") ? [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, severity: 2, message: "a warning" }] : []);

function publish(uri, version) {
  if (flags.has("--silent") || flags.has("--pull")) return;
  send({ method: "textDocument/publishDiagnostics", params: { uri, version, diagnostics: [] } });
  setTimeout(() => {
    const doc = docs.get(uri);
    if (doc.version !== version) return;
    send({ method: "textDocument/publishDiagnostics", params: { uri, version, diagnostics: [...errorsOf(doc.text), ...warningsOf(doc.text)] } });
  }, 60);
}

function handle(msg) {
  if (msg.method === "initialize") {
    send({ id: msg.id, result: { capabilities: { textDocumentSync: 1, ...(flags.has("--pull") ? { diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false } } : {}) } } });
    // A server asks the client things; the client must answer for it to go on.
    send({ id: 900, method: "workspace/configuration", params: { items: [{ section: "fake" }] } });
  } else if (msg.method === "textDocument/didOpen") {
    docs.set(msg.params.textDocument.uri, { text: msg.params.textDocument.text, version: msg.params.textDocument.version });
    publish(msg.params.textDocument.uri, msg.params.textDocument.version);
  } else if (msg.method === "textDocument/didChange") {
    if (flags.has("--crash")) process.exit(3);
    docs.set(msg.params.textDocument.uri, { text: msg.params.contentChanges.at(-1).text, version: msg.params.textDocument.version });
    publish(msg.params.textDocument.uri, msg.params.textDocument.version);
  } else if (msg.method === "textDocument/diagnostic") {
    const doc = docs.get(msg.params.textDocument.uri);
    send({ id: msg.id, result: { kind: "full", items: [...errorsOf(doc.text), ...warningsOf(doc.text)] } });
  } else if (msg.method === "shutdown") send({ id: msg.id, result: null });
  else if (msg.method === "exit") process.exit(0);
}

process.stdin.on("data", (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const end = buffer.indexOf("\r\n\r\n");
    if (end < 0) return;
    const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, end).toString())[1]);
    if (buffer.length < end + 4 + length) return;
    const body = buffer.subarray(end + 4, end + 4 + length).toString();
    buffer = buffer.subarray(end + 4 + length);
    handle(JSON.parse(body));
  }
});
