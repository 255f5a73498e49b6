import type { McpServers, McpSettings } from "./config.js";
import { ConfigError } from "../model/resolve.js";
import { McpHub, type SessionTools } from "./hub.js";
import type { SlashCommand } from "./prompts.js";
import type { AnyTool } from "../tools/define.js";

/** What the host knows of a workplace that matters here (a subset of host's Workplace). */
export interface McpPlace {
  cwd: string;
  config: { mcpServers?: McpServers | undefined; mcp?: McpSettings | undefined };
}

/**
 * The MCP hubs of one host: one per workplace and server set, connected on first use and shared
 * by the host's sessions there (so a failing server is said once), closed with the host.
 */
export class McpHubs {
  private readonly hubs = new Map<string, Promise<McpHub>>();
  private readonly opened = new Set<McpHub>();
  /**
   * A process that exits without closing its host (an uncaught error, `process.exit`) still ends
   * the stdio servers it started: closing their stdin alone would leave one that ignores it running.
   */
  private readonly endOnExit = () => {
    for (const hub of this.opened) hub.killNow();
  };

  constructor(private readonly options: { env: NodeJS.ProcessEnv; onNotice?: (line: string) => void; restartDelaysMs?: readonly number[] }) {}

  /** The workplace's hub; undefined (and no SDK loaded) when it configures no MCP server. */
  hubFor(place: McpPlace): Promise<McpHub> | undefined {
    const servers = place.config.mcpServers;
    if (!servers || !Object.keys(servers).length) return undefined;
    const key = JSON.stringify([place.cwd, servers, place.config.mcp ?? {}]);
    let hub = this.hubs.get(key);
    if (!hub) {
      hub = McpHub.open({
        servers,
        env: this.options.env,
        cwd: place.cwd,
        ...(place.config.mcp ? { settings: place.config.mcp } : {}),
        ...(this.options.onNotice ? { onNotice: this.options.onNotice } : {}),
        ...(this.options.restartDelaysMs ? { restartDelaysMs: this.options.restartDelaysMs } : {}),
      });
      if (!this.hubs.size) process.once("exit", this.endOnExit);
      void hub.then((opened) => this.opened.add(opened));
      this.hubs.set(key, hub);
    }
    return hub;
  }

  /** The session options for `place`: the given (or default) tools plus the MCP tools; nothing when no MCP server is configured. */
  async sessionTools(place: McpPlace, given: AnyTool[] | undefined, defaults: () => AnyTool[]): Promise<Partial<SessionTools>> {
    const hub = this.hubFor(place);
    if (!hub) return given ? { tools: given } : {};
    return (await hub).sessionTools(given ?? defaults());
  }

  /** The servers' prompts as slash commands, for a face's `/` menu (connects the servers). */
  async commands(place: McpPlace): Promise<SlashCommand[]> {
    const hub = this.hubFor(place);
    return hub ? (await hub).commands() : [];
  }

  /**
   * A task as typed, made ready for the model: `/mcp__<server>__<prompt> args` becomes the
   * prompt's text, and each `@<server>:<uri>` gets the resource's text appended. Text that uses
   * neither is returned as is, without connecting anything.
   */
  async expandTask(place: McpPlace, text: string): Promise<string> {
    const command = /^\s*\/(mcp__\S+)(?:\s+([\s\S]*))?$/.exec(text);
    if (!command && !text.includes("@")) return text;
    const hub = this.hubFor(place);
    if (!hub) return text;
    const ready = await hub;
    let task = text;
    if (command) {
      const found = ready.commands().find((c) => c.name === command[1]);
      if (!found) {
        const known = ready.commands().map((c) => `/${c.name}`);
        throw new ConfigError(`unknown MCP command /${command[1]}${known.length ? ` (the servers here offer ${known.join(", ")})` : " (the MCP servers here offer no prompts)"}`);
      }
      task = (await found.expand(command[2] ?? "")).prompt;
    }
    return ready.attachResources(task);
  }

  async close(): Promise<void> {
    const hubs = [...this.hubs.values()];
    this.hubs.clear();
    this.opened.clear();
    process.removeListener("exit", this.endOnExit);
    await Promise.all(hubs.map(async (hub) => (await hub).close()));
  }
}
