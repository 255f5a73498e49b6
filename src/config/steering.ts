/**
 * The settings of a config file that can send the user's keys somewhere or run code: provider
 * endpoints, headers, keys and quirks, a model id that carries its own endpoint, and hooks
 * (commands run on the agent's events, src/hooks/). From a
 * project file they apply only when the user trusts the project (./trust.ts).
 */

const PROVIDER_KEYS = ["apiKey", "baseURL", "headers", "compat"] as const;

interface SteeringShape {
  model?: string | undefined;
  providers?: Partial<Record<string, Partial<Record<string, unknown>> | undefined>> | undefined;
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
  if (config.hooks && Object.keys(config.hooks).length) keys.push("hooks");
  return keys;
}

/** The steering settings' values (for a hash that says when they changed). */
export function steeringValues(config: SteeringShape): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const key of steeringKeys(config)) {
    const [, name, field] = key.split(".");
    values[key] = key === "model" ? config.model : key === "hooks" ? config.hooks : config.providers?.[name!]?.[field!];
  }
  return values;
}

/** The config without its steering settings. */
export function withoutSteering<T extends SteeringShape>(config: T): T {
  const copy: T = { ...config };
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
  return copy;
}
