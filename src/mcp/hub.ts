import type { AnyTool } from "../tools/define.js";
import { MCP_DEFAULTS, type McpServers, type McpSettings, type ResolvedServer, resolveServer } from "./config.js";
import { McpConnection } from "./connection.js";
import { promptCommand, type SlashCommand } from "./prompts.js";
import { attachResources } from "./resources.js";
import { createToolSearchTool, LazyTools } from "./tool-search.js";
import { wrapMcpTool } from "./tools.js";

declare const __COLLEAGUE_VERSION__: string | undefined;

export interface McpHubOptions {
  servers: McpServers;
  settings?: McpSettings;
  env: NodeJS.ProcessEnv;
  /** The workspace: where stdio servers run. */
  cwd: string;
  /** One line per server that cannot start, crashes or comes back. */
  onNotice?: (line: string) => void;
  /** Pauses before restarting a crashed server (tests shorten them). */
  restartDelaysMs?: readonly number[];
}

/** What `colleague mcp list` shows for one server. */
export interface ServerStatus {
  name: string;
  transport: ResolvedServer["transport"] | "?";
  status: "connected" | "failed";
  tools: number;
  prompts: number;
  error?: string;
}

/** The tools a session gets: all of them callable, and (when lazy) the ones whose schemas are sent. */
export interface SessionTools {
  tools: AnyTool[];
  offeredTools?: () => readonly AnyTool[];
}

/**
 * The MCP servers of one workplace, connected together: their tools, prompts (as slash
 * commands) and resources. A server that cannot start is said in one line and left out; the
 * others work on.
 */
export class McpHub {
  private constructor(
    readonly connections: McpConnection[],
    readonly statuses: ServerStatus[],
    private readonly tools: AnyTool[],
    private readonly settings: McpSettings,
  ) {}

  static async open(options: McpHubOptions): Promise<McpHub> {
    const settings = options.settings ?? {};
    const statuses: ServerStatus[] = [];
    const pending: Array<Promise<McpConnection | undefined>> = [];
    for (const [name, entry] of Object.entries(options.servers)) {
      const server = resolveServer(name, entry, options.env, settings.callTimeoutMs ?? MCP_DEFAULTS.callTimeoutMs);
      if ("problem" in server) {
        options.onNotice?.(`${server.problem}; going on without it`);
        statuses.push({ name, transport: "?", status: "failed", tools: 0, prompts: 0, error: server.problem });
        continue;
      }
      const connection = new McpConnection(server, {
        cwd: options.cwd,
        startTimeoutMs: settings.startTimeoutMs ?? MCP_DEFAULTS.startTimeoutMs,
        version: typeof __COLLEAGUE_VERSION__ === "string" ? __COLLEAGUE_VERSION__ : "0.0.0",
        ...(options.onNotice ? { onNotice: options.onNotice } : {}),
        ...(options.restartDelaysMs ? { restartDelaysMs: options.restartDelaysMs } : {}),
      });
      pending.push(
        connection.start().then(
          () => {
            statuses.push({ name, transport: server.transport, status: "connected", tools: connection.tools.length, prompts: connection.prompts.length });
            return connection;
          },
          (error: Error) => {
            options.onNotice?.(`${error.message}; going on without it`);
            statuses.push({ name, transport: server.transport, status: "failed", tools: 0, prompts: 0, error: error.message });
            return undefined;
          },
        ),
      );
    }
    const connections = (await Promise.all(pending)).filter((c): c is McpConnection => c !== undefined);
    const tools: AnyTool[] = [];
    const names = new Set<string>();
    for (const connection of connections) {
      for (const info of connection.tools) {
        const tool = wrapMcpTool(connection, info);
        if (names.has(tool.name)) continue;
        names.add(tool.name);
        tools.push(tool);
      }
    }
    statuses.sort((a, b) => a.name.localeCompare(b.name));
    return new McpHub(connections, statuses, tools, settings);
  }

  /** Every MCP tool, wrapped once, so their schemas are the same bytes in every request. */
  allTools(): readonly AnyTool[] {
    return this.tools;
  }

  /**
   * `base` plus the MCP tools. Past the threshold the MCP tools are callable but not sent: the
   * model gets `tool_search`, and what it finds is appended to the tools sent (per session).
   */
  sessionTools(base: readonly AnyTool[]): SessionTools {
    if (!this.tools.length) return { tools: [...base] };
    const threshold = this.settings.lazyToolsAbove ?? MCP_DEFAULTS.lazyToolsAbove;
    if (this.tools.length <= threshold) return { tools: [...base, ...this.tools] };
    const lazy = new LazyTools(this.tools);
    const sent = [...base, createToolSearchTool(lazy)];
    return { tools: [...sent, ...this.tools], offeredTools: () => lazy.offered(sent) };
  }

  /** The servers' prompts as slash commands (`/mcp__<server>__<prompt>`). */
  commands(): SlashCommand[] {
    return this.connections.flatMap((c) => c.prompts.map((p) => promptCommand(c, p)));
  }

  /** The prompt with the text of each `@<server>:<uri>` it names appended. */
  attachResources(prompt: string): Promise<string> {
    return attachResources(prompt, this.connections);
  }

  async close(): Promise<void> {
    await Promise.all(this.connections.map((c) => c.close()));
  }

  /** Ends the stdio servers at once (SIGTERM), for a process on its way out; no waiting. */
  killNow(): void {
    for (const connection of this.connections) connection.killNow();
  }
}
