import { defaultModelInfo, genericModelInfo } from "../model/catalog.js";
import { checkBaseURL, loadFactory, modelInfoFor, type ProviderOptions, parseModelId } from "../model/resolve.js";
import { retryPolicyFromEnv } from "../model/retry.js";
import type { Model, ModelInfo, WireApi } from "../model/types.js";
import type { ConfigFile, ModelSpec } from "./config.js";

const KEY_VARS = { anthropic: "ANTHROPIC_API_KEY", openai: "OPENAI_API_KEY", compatible: "COMPATIBLE_API_KEY" } as const;
const URL_VARS = { anthropic: "ANTHROPIC_BASE_URL", openai: "OPENAI_BASE_URL", compatible: "COMPATIBLE_BASE_URL" } as const;

/** The models described under `models` in config, as catalog entries. */
export function configuredModels(config: ConfigFile): ModelInfo[] {
  return Object.entries(config.models ?? {}).flatMap(([id, spec]) => {
    const colon = id.indexOf(":");
    const api = id.slice(0, colon) as WireApi;
    if (colon <= 0 || !["anthropic", "openai", "compatible"].includes(api)) return [];
    return [describedModel(api, id.slice(colon + 1), spec)];
  });
}

function describedModel(api: WireApi, name: string, spec: ModelSpec): ModelInfo {
  const base = api === "anthropic" || api === "openai" ? defaultModelInfo(api, name) : genericModelInfo(name, api);
  const price = spec.price
    ? { input: spec.price.input, output: spec.price.output, cacheRead: spec.price.cacheRead ?? spec.price.input * 0.1, cacheWrite: spec.price.cacheWrite ?? spec.price.input * 1.25 }
    : base.price;
  const c = base.capabilities;
  const reasoning = spec.reasoning ?? c.reasoning;
  const efforts = spec.efforts ?? (reasoning === c.reasoning ? c.efforts : undefined);
  return {
    ...base,
    contextWindow: spec.contextWindow ?? base.contextWindow,
    maxOutput: spec.maxOutput ?? base.maxOutput,
    price,
    capabilities: {
      tools: spec.tools ?? c.tools,
      images: spec.images ?? c.images,
      reasoning,
      ...(efforts ? { efforts } : {}),
      ...(spec.compaction ? { compaction: true } : {}),
    },
  };
}

/**
 * Builds a model from its id ("provider:model[@baseURL]"), taking keys and endpoints from the
 * environment first, then the config files. Throws ConfigError with one readable line. A model
 * of a known provider that neither the catalog nor the config describes runs with default
 * facts, and `onWarning` hears one line about it.
 */
export async function createConfiguredModel(
  id: string,
  config: ConfigFile,
  env: NodeJS.ProcessEnv = process.env,
  onWarning?: (line: string) => void,
): Promise<Model> {
  const parsed = parseModelId(id);
  const resolved = modelInfoFor(parsed, configuredModels(config));
  let info = resolved.info;
  if (!resolved.known) {
    onWarning?.(
      `unknown model "${parsed.api}:${parsed.name}": running it with default capabilities (${info.contextWindow / 1000}K window, ` +
        `${info.maxOutput / 1000}K output, ${info.capabilities.reasoning} reasoning, the provider's highest prices); ` +
        'describe it under "models" in ~/.colleague/config.json (docs/configuration.md)',
    );
  }
  const options: ProviderOptions = { retry: retryPolicyFromEnv(env) };
  if (parsed.api !== "scripted") {
    const provider = config.providers?.[parsed.api] ?? {};
    const apiKey = env[KEY_VARS[parsed.api]] || provider.apiKey;
    const fromEnv = env[URL_VARS[parsed.api]];
    const baseURL = parsed.baseURL ?? (fromEnv || provider.baseURL);
    if (baseURL && !parsed.baseURL) checkBaseURL(baseURL, fromEnv ? `in ${URL_VARS[parsed.api]}` : `in providers.${parsed.api}.baseURL`);
    if (provider.maxRetryAfterMs !== undefined) options.retry = { ...options.retry, maxRetryAfterMs: provider.maxRetryAfterMs };
    Object.assign(options, {
      ...(apiKey ? { apiKey } : {}),
      ...(baseURL ? { baseURL } : {}),
      ...(provider.headers ? { headers: provider.headers } : {}),
      ...(provider.longContext ? { longContext: true } : {}),
      ...(provider.timeoutMs ? { timeoutMs: provider.timeoutMs } : {}),
      ...(provider.idleTimeoutMs ? { idleTimeoutMs: provider.idleTimeoutMs } : {}),
      ...(provider.compat ? { compat: provider.compat } : {}),
    });
  }
  // With long context on, the model's window is the long one: the context engine fills it.
  if (options.longContext && info.longContext) info = { ...info, contextWindow: info.longContext.window };
  const factory = await loadFactory(parsed.api);
  const canonical = `${parsed.api}:${parsed.name}${parsed.baseURL ? `@${parsed.baseURL}` : ""}`;
  return factory(canonical, info, options);
}
