import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { CallToolResult, Tool as McpToolInfo, Prompt } from "@modelcontextprotocol/sdk/types.js";
import { loadVendor } from "../vendor/load.js";
import type { ResolvedServer } from "./config.js";

export interface ConnectionOptions {
  /** Where a stdio server runs: the workspace. */
  cwd: string;
  startTimeoutMs: number;
  /** colleague's version, told to the server. */
  version: string;
  onNotice?: (line: string) => void;
  /** Pauses before each restart of a crashed server, ms; after the last one it stays down. */
  restartDelaysMs?: readonly number[];
}

const RESTART_DELAYS_MS = [250, 1_000, 4_000, 15_000, 60_000];
/** JSON-RPC codes the SDK uses for a closed connection and a request that timed out. */
const CONNECTION_CLOSED = -32000;
const REQUEST_TIMEOUT = -32001;

/**
 * One MCP server: connected through the SDK (imported only when a server is configured, so a
 * session without MCP pays nothing for it), its tools and prompts listed once at start. A stdio
 * server that exits is restarted with backoff; a call made meanwhile waits for the restart (up to
 * its timeout), and a call the crash cut off fails with a message that says so.
 */
export class McpConnection {
  tools: McpToolInfo[] = [];
  prompts: Prompt[] = [];
  /** Times the server was restarted after it exited. */
  restarts = 0;
  private client: Client | undefined;
  private pidOf: (() => number | null) | undefined;
  private restarting: Promise<boolean> | undefined;
  private closed = false;
  private down: string | undefined;
  private stderrTail = "";

  constructor(
    readonly server: ResolvedServer,
    private readonly options: ConnectionOptions,
  ) {}

  get name(): string {
    return this.server.name;
  }

  /** The stdio server's process id while it runs (tests check that none outlives the session). */
  get pid(): number | undefined {
    return this.pidOf?.() ?? undefined;
  }

  /** Connects and lists tools and prompts; throws an Error with one line saying why it could not. */
  async start(): Promise<void> {
    await this.connect();
  }

  async callTool(name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<CallToolResult> {
    const client = await this.ready();
    try {
      return (await client.callTool({ name, arguments: args }, undefined, { timeout: this.server.timeoutMs, signal })) as CallToolResult;
    } catch (error) {
      throw new Error(this.describeFailure(error, `calling ${name}`));
    }
  }

  async getPrompt(name: string, args: Record<string, string>): Promise<Awaited<ReturnType<Client["getPrompt"]>>> {
    const client = await this.ready();
    return client.getPrompt({ name, arguments: args }, { timeout: this.server.timeoutMs });
  }

  async readResource(uri: string): Promise<Awaited<ReturnType<Client["readResource"]>>> {
    const client = await this.ready();
    return client.readResource({ uri }, { timeout: this.server.timeoutMs });
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    await client?.close().catch(() => {});
  }

  /** SIGTERMs the stdio server now (the process is exiting and cannot wait for `close`). */
  killNow(): void {
    this.closed = true;
    const pid = this.pid;
    if (pid === undefined) return;
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // Already gone.
    }
  }

  /** The connected client, after a restart in progress; a server that stays down is an error. */
  private async ready(): Promise<Client> {
    if (this.client) return this.client;
    if (this.closed) throw new Error(`MCP server ${this.name} was closed`);
    if (this.restarting) {
      const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), this.server.timeoutMs).unref());
      await Promise.race([this.restarting, timeout]);
      if (this.client) return this.client;
      throw new Error(`MCP server ${this.name} stopped (${this.down ?? "it exited"}) and is being restarted; try again shortly`);
    }
    throw new Error(`MCP server ${this.name} is down: ${this.down ?? "it exited"}`);
  }

  private async connect(): Promise<void> {
    const { Client } = await loadVendor["mcp-client"]();
    const transport = await this.openTransport();
    const client = new Client({ name: "colleague", version: this.options.version }, { capabilities: {} });
    client.onclose = () => this.onClosed(client);
    const timeout = this.options.startTimeoutMs;
    try {
      await client.connect(transport, { timeout });
      const tools: McpToolInfo[] = [];
      let cursor: string | undefined;
      do {
        const page = await client.listTools(cursor ? { cursor } : {}, { timeout });
        tools.push(...page.tools);
        cursor = page.nextCursor;
      } while (cursor);
      const prompts = client.getServerCapabilities()?.prompts ? (await client.listPrompts({}, { timeout }).catch(() => ({ prompts: [] }))).prompts : [];
      if (this.closed) throw new Error("closed while starting");
      this.tools = tools;
      this.prompts = prompts;
      this.client = client;
      this.down = undefined;
    } catch (error) {
      await client.close().catch(() => {});
      throw new Error(this.describeFailure(error, "starting"));
    }
  }

  private async openTransport(): Promise<Transport> {
    const server = this.server;
    if (server.transport === "stdio") {
      const { StdioClientTransport, getDefaultEnvironment } = await loadVendor["mcp-client"]();
      // The server gets the SDK's short list of variables (PATH, HOME, …) plus its own `env`, not
      // colleague's whole environment, which holds the user's provider keys.
      const transport = new StdioClientTransport({
        command: server.command,
        args: server.args,
        env: { ...getDefaultEnvironment(), ...server.env },
        cwd: this.options.cwd,
        stderr: "pipe",
      });
      this.stderrTail = "";
      transport.stderr?.on("data", (chunk: Buffer) => {
        this.stderrTail = (this.stderrTail + chunk.toString("utf8")).slice(-2_000);
      });
      this.pidOf = () => transport.pid;
      return transport;
    }
    const requestInit = { headers: server.headers };
    if (server.transport === "http") {
      const { StreamableHTTPClientTransport } = await loadVendor["mcp-client"]();
      return new StreamableHTTPClientTransport(new URL(server.url), { requestInit });
    }
    const { SSEClientTransport } = await loadVendor["mcp-client"]();
    return new SSEClientTransport(new URL(server.url), { requestInit });
  }

  private onClosed(client: Client): void {
    if (client !== this.client || this.closed) return;
    this.client = undefined;
    this.down = `it exited${this.lastStderrLine()}`;
    if (this.server.transport !== "stdio") return;
    this.restarting ??= this.restartWithBackoff().finally(() => {
      this.restarting = undefined;
    });
  }

  private async restartWithBackoff(): Promise<boolean> {
    const delays = this.options.restartDelaysMs ?? RESTART_DELAYS_MS;
    for (const delay of delays) {
      await new Promise((resolve) => setTimeout(resolve, delay).unref());
      if (this.closed) return false;
      try {
        await this.connect();
        this.restarts += 1;
        this.options.onNotice?.(`MCP server ${this.name} exited and was restarted`);
        return true;
      } catch (error) {
        this.down = (error as Error).message;
      }
    }
    this.options.onNotice?.(`MCP server ${this.name} is down after ${delays.length} restarts: ${this.down}`);
    return false;
  }

  private describeFailure(error: unknown, doing: string): string {
    const code = (error as { code?: unknown }).code;
    const seconds = (ms: number) => `${Math.round(ms / 100) / 10}s`;
    if (code === REQUEST_TIMEOUT) {
      const ms = doing === "starting" ? this.options.startTimeoutMs : this.server.timeoutMs;
      const hint = doing === "starting" ? `"mcp.startTimeoutMs"` : `"timeout" in its config`;
      return `MCP server ${this.name} did not answer ${doing} within ${seconds(ms)} (raise ${hint})`;
    }
    if (code === CONNECTION_CLOSED && doing === "starting") return `MCP server ${this.name} exited while starting${this.lastStderrLine()}`;
    if (code === CONNECTION_CLOSED) {
      const restart = this.server.transport === "stdio" && !this.closed ? "; it is being restarted" : "";
      return `MCP server ${this.name} closed the connection while ${doing} (it may have crashed${this.lastStderrLine()})${restart}`;
    }
    if (code === "ENOENT" && this.server.transport === "stdio") return `MCP server ${this.name}: command not found: ${this.server.command}`;
    const message = error instanceof Error ? error.message : String(error);
    return `MCP server ${this.name} failed while ${doing}: ${message.split("\n")[0]}${this.lastStderrLine()}`;
  }

  private lastStderrLine(): string {
    const line = this.stderrTail.trim().split("\n").pop()?.trim();
    return line ? `; it said: ${line.slice(0, 200)}` : "";
  }
}
