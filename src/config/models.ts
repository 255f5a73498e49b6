import { loadFactory, modelInfoFor, parseModelId, type ProviderOptions } from "../model/resolve.js";
import { retryPolicyFromEnv } from "../model/retry.js";
import type { Model } from "../model/types.js";
import type { ConfigFile } from "./config.js";

const KEY_VARS = { anthropic: "ANTHROPIC_API_KEY", openai: "OPENAI_API_KEY", compatible: "COMPATIBLE_API_KEY" } as const;
const URL_VARS = { anthropic: "ANTHROPIC_BASE_URL", openai: "OPENAI_BASE_URL", compatible: "COMPATIBLE_BASE_URL" } as const;

/**
 * Builds a model from its id ("provider:model[@baseURL]"), taking keys and endpoints from the
 * environment first, then the config files. Throws ConfigError with one readable line.
 */
export async function createConfiguredModel(id: string, config: ConfigFile, env: NodeJS.ProcessEnv = process.env): Promise<Model> {
  const parsed = parseModelId(id);
  let info = modelInfoFor(parsed);
  const options: ProviderOptions = { retry: retryPolicyFromEnv(env) };
  if (parsed.api !== "scripted") {
    const provider = config.providers?.[parsed.api] ?? {};
    const apiKey = env[KEY_VARS[parsed.api]] || provider.apiKey;
    const baseURL = parsed.baseURL ?? (env[URL_VARS[parsed.api]] || provider.baseURL);
    Object.assign(options, {
      ...(apiKey ? { apiKey } : {}),
      ...(baseURL ? { baseURL } : {}),
      ...(provider.headers ? { headers: provider.headers } : {}),
      ...(provider.longContext ? { longContext: true } : {}),
      ...(provider.timeoutMs ? { timeoutMs: provider.timeoutMs } : {}),
      ...(provider.compat ? { compat: provider.compat } : {}),
    });
  }
  // With long context on, the model's window is the long one: the context engine fills it.
  if (options.longContext && info.longContext) info = { ...info, contextWindow: info.longContext.window };
  const factory = await loadFactory(parsed.api);
  const canonical = `${parsed.api}:${parsed.name}${parsed.baseURL ? `@${parsed.baseURL}` : ""}`;
  return factory(canonical, info, options);
}
