import { defaultModelInfo, findModel, genericModelInfo } from "./catalog.js";
import type { RetryPolicy } from "./retry.js";
import type { Model, ModelInfo, WireApi } from "./types.js";

/** What an adapter needs besides the model's facts. */
export interface ProviderOptions {
  apiKey?: string;
  baseURL?: string;
  retry: RetryPolicy;
  /** Extra HTTP headers for every request. */
  headers?: Record<string, string>;
  /** Ask for the long-context (1M) window where the model has one. */
  longContext?: boolean;
  /** How long to wait for response headers (connect included), ms; the adapter's default otherwise (stall.ts). */
  timeoutMs?: number;
  /** How long a response stream may send nothing before it is dropped and retried, ms. */
  idleTimeoutMs?: number;
  /** Vendor quirks for the `compatible` adapter (validated there). */
  compat?: Record<string, unknown>;
}

/** Each adapter module exports one of these as `createModel`; modules load lazily. */
export type ModelFactory = (id: string, info: ModelInfo, options: ProviderOptions) => Model;

export interface ParsedModelId {
  api: WireApi;
  name: string;
  /** `compatible:qwen3@http://127.0.0.1:11434/v1` carries its base URL inline. */
  baseURL?: string;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

const apis: readonly WireApi[] = ["anthropic", "openai", "compatible", "scripted"];

/** Parses "provider:model[@baseURL]"; a bare known model name is accepted too. */
export function parseModelId(id: string): ParsedModelId {
  const colon = id.indexOf(":");
  const prefix = colon > 0 ? id.slice(0, colon) : "";
  if (!apis.includes(prefix as WireApi)) {
    const known = (["anthropic", "openai"] as const).map((api) => findModel(api, id)).find(Boolean);
    if (known) return { api: known.api, name: known.name };
    throw new ConfigError(
      `unknown model "${id}": use provider:model, e.g. anthropic:claude-opus-4-6, openai:gpt-5.3-codex, ` +
        `compatible:qwen3-coder@http://127.0.0.1:11434/v1 or scripted:./scenario.json (see \`colleague models\`)`,
    );
  }
  const api = prefix as WireApi;
  let rest = id.slice(colon + 1);
  let baseURL: string | undefined;
  const at = api === "compatible" ? rest.indexOf("@") : -1;
  if (at >= 0) {
    baseURL = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  if (!rest) throw new ConfigError(`model id "${id}" names no model after "${api}:"`);
  if (at >= 0) checkBaseURL(baseURL ?? "", `in the model id "${id}"`);
  return { api, name: rest, ...(baseURL ? { baseURL } : {}) };
}

/**
 * A base URL must be an absolute http(s) URL. Anything else is the user's typo: said once, at
 * model resolution, rather than retried as a connection failure that can never succeed.
 */
export function checkBaseURL(url: string, where: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed && (parsed.protocol === "http:" || parsed.protocol === "https:") && parsed.hostname) return;
  const shown = url ? `"${url}"` : "(empty)";
  throw new ConfigError(`malformed base URL ${shown} ${where}: write a full http:// or https:// URL, e.g. http://127.0.0.1:11434/v1`);
}

/** Catalog facts for a parsed id, and whether the catalog (or the config's `models`) knew it. */
export function modelInfoFor(parsed: ParsedModelId, extra: readonly ModelInfo[] = []): { info: ModelInfo; known: boolean } {
  const info = findModel(parsed.api, parsed.name, extra);
  if (info) return { info, known: true };
  if (parsed.api === "anthropic" || parsed.api === "openai") return { info: defaultModelInfo(parsed.api, parsed.name), known: false };
  // Local and scripted models are expected to be unknown: generic facts, no warning.
  return { info: genericModelInfo(parsed.name, parsed.api), known: true };
}

/** Loads the adapter for `api` on first use: provider SDKs are slow to import. */
export async function loadFactory(api: WireApi): Promise<ModelFactory> {
  switch (api) {
    case "anthropic":
      return (await import("./anthropic.js")).createModel;
    case "openai":
      return (await import("./openai.js")).createModel;
    case "compatible":
      return (await import("./compatible.js")).createModel;
    case "scripted":
      return (await import("./scripted.js")).createModel;
  }
}
