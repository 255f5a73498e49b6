import { type ChildProcess, spawn } from "node:child_process";
import { pathToFileURL } from "node:url";

/**
 * A minimal Language Server Protocol client over stdio: JSON-RPC 2.0 framed with
 * Content-Length headers. It opens documents, tells the server about changes and collects the
 * diagnostics the server publishes (push) or answers when asked (pull, LSP 3.17).
 */
export interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  /** 1 error, 2 warning, 3 information, 4 hint. */
  severity?: number;
  code?: string | number;
  source?: string;
  message: string;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class LspConnection {
  private readonly child: ChildProcess;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly published = new Map<string, { version?: number; seq: number; diagnostics: Diagnostic[] }>();
  private readonly waiters = new Map<string, Array<() => void>>();
  /** Counts publications, so "published after the change was sent" needs no clock. */
  private seq = 0;
  private readonly sentSeq = new Map<string, number>();
  private readonly versions = new Map<string, number>();
  private pull = false;
  private exited: Error | undefined;

  constructor(
    readonly name: string,
    command: string[],
    private readonly root: string,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    const [program, ...args] = command;
    this.child = spawn(program!, args, { cwd: root, env, stdio: ["pipe", "pipe", "ignore"] });
    this.child.stdout!.on("data", (chunk: Buffer) => this.receive(chunk));
    const fail = (error: Error) => {
      this.exited = error;
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
      for (const wake of [...this.waiters.values()].flat()) wake();
      this.waiters.clear();
    };
    this.child.on("error", (error) => fail(new Error(`${name} could not start: ${error.message}`)));
    this.child.on("exit", (code, signal) => fail(new Error(`${name} exited (${signal ?? code})`)));
    this.child.stdin!.on("error", () => {});
  }

  async initialize(timeoutMs: number): Promise<void> {
    const rootUri = pathToFileURL(this.root).href;
    const result = (await this.request(
      "initialize",
      {
        processId: process.pid,
        rootUri,
        workspaceFolders: [{ uri: rootUri, name: "workspace" }],
        capabilities: {
          textDocument: {
            synchronization: { didSave: false, dynamicRegistration: false },
            publishDiagnostics: { versionSupport: true },
            diagnostic: { dynamicRegistration: false },
          },
          workspace: { workspaceFolders: true },
        },
      },
      timeoutMs,
    )) as { capabilities?: { diagnosticProvider?: unknown } };
    this.pull = Boolean(result?.capabilities?.diagnosticProvider);
    this.notify("initialized", {});
  }

  /**
   * Sends the file's text (opening it the first time) and returns the errors and warnings the
   * server reports for that version; after `timeoutMs` whatever it reported so far.
   */
  async diagnose(file: string, languageId: string, text: string, timeoutMs: number, settleMs = 300): Promise<Diagnostic[]> {
    const uri = pathToFileURL(file).href;
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    if (version === 1) this.notify("textDocument/didOpen", { textDocument: { uri, languageId, version, text } });
    else this.notify("textDocument/didChange", { textDocument: { uri, version }, contentChanges: [{ text }] });
    if (this.pull) {
      const report = (await this.request("textDocument/diagnostic", { textDocument: { uri } }, timeoutMs)) as { items?: Diagnostic[] };
      return report?.items ?? [];
    }
    await this.awaitPublished(uri, version, timeoutMs, settleMs);
    return this.published.get(uri)?.diagnostics ?? [];
  }

  /**
   * Waits for diagnostics published after the change was sent (of that version, when the server
   * says which), then lets a quick burst settle: servers publish in passes, syntax before types.
   */
  private async awaitPublished(uri: string, version: number, timeoutMs: number, settleMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const sentAt = this.sentSeq.get(uri) ?? 0;
    const fresh = () => {
      const p = this.published.get(uri);
      return p !== undefined && p.seq > sentAt && (p.version === undefined || p.version >= version);
    };
    while (!fresh() && Date.now() < deadline) {
      if (this.exited) throw this.exited;
      await this.nextPublish(uri, deadline - Date.now());
    }
    if (this.exited) throw this.exited;
    for (;;) {
      const seen = this.published.get(uri)?.seq;
      const wait = Math.min(settleMs, deadline - Date.now());
      if (wait <= 0) return;
      await this.nextPublish(uri, wait);
      if (this.published.get(uri)?.seq === seen) return;
    }
  }

  private nextPublish(uri: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      const list = this.waiters.get(uri) ?? [];
      list.push(done);
      this.waiters.set(uri, list);
    });
  }

  async close(): Promise<void> {
    if (this.exited) return;
    try {
      await this.request("shutdown", null, 1000);
      this.notify("exit", null);
    } catch {
      // A server that does not answer is stopped below.
    }
    setTimeout(() => this.child.kill("SIGKILL"), 500).unref();
  }

  private request(method: string, params: unknown, timeoutMs: number): Promise<unknown> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    this.send({ jsonrpc: "2.0", id, method, params });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name} did not answer ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  }

  private notify(method: string, params: unknown): void {
    if (method === "textDocument/didOpen" || method === "textDocument/didChange") {
      this.sentSeq.set((params as { textDocument: { uri: string } }).textDocument.uri, this.seq);
    }
    this.send({ jsonrpc: "2.0", method, params });
  }

  private send(message: unknown): void {
    if (this.exited) return;
    const body = Buffer.from(JSON.stringify(message), "utf8");
    this.child.stdin!.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, "ascii"), body]));
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      const length = Number(/content-length:\s*(\d+)/i.exec(this.buffer.subarray(0, end).toString("ascii"))?.[1]);
      if (!Number.isFinite(length) || this.buffer.length < end + 4 + length) return;
      const body = this.buffer.subarray(end + 4, end + 4 + length).toString("utf8");
      this.buffer = this.buffer.subarray(end + 4 + length);
      try {
        this.handle(JSON.parse(body) as Record<string, unknown>);
      } catch {
        // A malformed message is skipped; the next frame is still read.
      }
    }
  }

  private handle(message: Record<string, unknown>): void {
    if (typeof message.id === "number" && !message.method) {
      const pending = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) pending?.reject(new Error(`${this.name}: ${(message.error as { message?: string }).message ?? "error"}`));
      else pending?.resolve(message.result);
      return;
    }
    if (message.method === "textDocument/publishDiagnostics") {
      const params = message.params as { uri: string; version?: number; diagnostics: Diagnostic[] };
      this.seq += 1;
      this.published.set(params.uri, { ...(params.version !== undefined ? { version: params.version } : {}), seq: this.seq, diagnostics: params.diagnostics });
      const waiting = this.waiters.get(params.uri) ?? [];
      this.waiters.delete(params.uri);
      for (const wake of waiting) wake();
      return;
    }
    // Requests from the server (configuration, capability registration, progress): answer so it goes on.
    if (message.id !== undefined && typeof message.method === "string") {
      const result = message.method === "workspace/configuration" ? ((message.params as { items?: unknown[] })?.items ?? []).map(() => null) : null;
      this.send({ jsonrpc: "2.0", id: message.id, result });
    }
  }
}
