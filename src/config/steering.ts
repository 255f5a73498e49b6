/**
 * The settings of a config file that can send the user's keys somewhere or run code: provider
 * endpoints, headers, keys and quirks, a model id that carries its own endpoint, MCP servers
 * (a command the project runs, or an endpoint it names), hooks (commands run on the agent's
 * events, src/hooks/), language servers (diagnostics) and the web search service. From a project
 * file they apply only when the user trusts the project (./trust.ts).
 */

const PROVIDER_KEYS = ["apiKey", "baseURL", "headers", "compat"] as const;

/** webSearch settings that pick where queries (and the user's search key) go. */
const SEARCH_KEYS = ["provider", "url", "apiKey"] as const;

interface SteeringShape {
  model?: string | undefined;
  webSearch?: Partial<Record<string, unknown>> | undefined;
  diagnostics?: unknown;
  providers?: Partial<Record<string, Partial<Record<string, unknown>> | undefined>> | undefined;
  mcpServers?: Record<string, unknown> | undefined;
  hooks?: Record<string, unknown> | undefined;
}

/** The dotted names of the steering settings a config sets, e.g. `providers.anthropic.baseURL`. */
export function steeringKeys(config: SteeringShape): string[] {
  const keys: string[] = [];
  // `compatible:name@http://…` names an endpoint, which the compatible key is sent to.
  if (config.model?.includes("@")) keys.push("model");
  for (const [name, provider] of Object.entries(config.providers ?? {})) {
    for (const key of PROVIDER_KEYS) if (provider?.[key] !== undefined) keys.push(`providers.${name}.${key}`);
  }
  for (const key of SEARCH_KEYS) if (config.webSearch?.[key] !== undefined) keys.push(`webSearch.${key}`);
  // Language servers run the project's own compiler and plugins.
  if (config.diagnostics !== undefined) keys.push("diagnostics");
  for (const name of Object.keys(config.mcpServers ?? {})) keys.push(`mcpServers.${name}`);
  if (config.hooks && Object.keys(config.hooks).length) keys.push("hooks");
  return keys;
}

/** The steering settings' values (for a hash that says when they changed). */
export function steeringValues(config: SteeringShape): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const key of steeringKeys(config)) {
    const [section, name, field] = key.split(".");
    if (section === "mcpServers") values[key] = config.mcpServers?.[key.slice("mcpServers.".length)];
    else if (section === "webSearch") values[key] = config.webSearch?.[name!];
    else values[key] = key === "model" ? config.model : key === "diagnostics" ? config.diagnostics : key === "hooks" ? config.hooks : config.providers?.[name!]?.[field!];
  }
  return values;
}

/** The config without its steering settings. */
export function withoutSteering<T extends SteeringShape>(config: T): T {
  const copy: T = { ...config };
  delete copy.mcpServers;
  if (copy.model?.includes("@")) delete copy.model;
  delete copy.hooks;
  if (copy.providers) {
    const providers: Record<string, Partial<Record<string, unknown>>> = {};
    for (const [name, provider] of Object.entries(copy.providers)) {
      if (!provider) continue;
      const kept = Object.fromEntries(Object.entries(provider).filter(([k]) => !(PROVIDER_KEYS as readonly string[]).includes(k)));
      if (Object.keys(kept).length) providers[name] = kept;
    }
    copy.providers = providers as T["providers"];
  }
  delete copy.diagnostics;
  // Without its provider, address and key a project's search settings are nothing to keep.
  if (copy.webSearch && SEARCH_KEYS.some((k) => copy.webSearch?.[k] !== undefined)) delete copy.webSearch;
  return copy;
}
