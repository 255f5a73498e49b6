import type { ComputerUseForm, ModelInfo, Usage, WireApi } from "./types.js";

/**
 * Known models: windows, output limits, prices (USD per million tokens) and capabilities.
 * Cache write prices are the 5-minute rates. Long-context rates apply to the whole request
 * once its input passes the threshold (Anthropic: 2x input, 1.5x output above 200K).
 */
const anthropic = (
  name: string,
  input: number,
  output: number,
  maxOutput: number,
  reasoning: "adaptive" | "budget",
  efforts?: string[],
  longWindow?: number,
): ModelInfo => ({
  name,
  api: "anthropic",
  contextWindow: 200_000,
  maxOutput,
  price: { input, output, cacheRead: input * 0.1, cacheWrite: input * 1.25 },
  ...(longWindow
    ? {
        longContext: {
          threshold: 200_000,
          window: longWindow,
          input: input * 2,
          output: output * 1.5,
          cacheRead: input * 0.2,
          cacheWrite: input * 2.5,
        },
      }
    : {}),
  capabilities: { tools: true, images: true, reasoning, ...(efforts ? { efforts } : {}) },
});

const openai = (name: string, input: number, output: number, efforts: string[]): ModelInfo => ({
  name,
  api: "openai",
  contextWindow: 400_000,
  maxOutput: 128_000,
  price: { input, output, cacheRead: input * 0.1, cacheWrite: 0 },
  capabilities: { tools: true, images: true, reasoning: "effort", efforts },
});

/** Marks a model that takes the provider's own computer-use tool. */
const withComputerUse = (info: ModelInfo, form: ComputerUseForm): ModelInfo => ({ ...info, capabilities: { ...info.capabilities, computerUse: form } });

/** Marks a model whose API compacts server-side (Anthropic compact_20260112 launched with Opus 4.6). */
const withCompaction = (info: ModelInfo): ModelInfo => ({ ...info, capabilities: { ...info.capabilities, compaction: true } });

export const catalog: readonly ModelInfo[] = [
  withComputerUse(withCompaction(anthropic("claude-opus-4-6", 5, 25, 128_000, "adaptive", ["low", "medium", "high", "max"], 1_000_000)), "computer_20251124"),
  withComputerUse(anthropic("claude-sonnet-4-5", 3, 15, 64_000, "budget", undefined, 1_000_000), "computer_20250124"),
  withComputerUse(anthropic("claude-haiku-4-5", 1, 5, 64_000, "budget"), "computer_20250124"),
  openai("gpt-5.3-codex", 1.75, 14, ["low", "medium", "high", "xhigh"]),
  openai("gpt-5.2", 1.75, 14, ["none", "low", "medium", "high", "xhigh"]),
  openai("gpt-5-mini", 0.25, 2, ["minimal", "low", "medium", "high"]),
  // OpenAI's computer-using agent model: a small window, and its computer tool only through the Responses API.
  withComputerUse({ ...openai("computer-use-preview", 3, 12, ["medium"]), contextWindow: 8192, maxOutput: 1024 }, "computer_use_preview"),
];

/** Facts assumed for a model the catalog does not know (local models behind `compatible`). */
export function genericModelInfo(name: string, api: WireApi): ModelInfo {
  return {
    name,
    api,
    contextWindow: 128_000,
    maxOutput: 16_384,
    price: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
    capabilities: { tools: true, images: false, reasoning: "none" },
  };
}

export function findModel(api: WireApi, name: string, extra: readonly ModelInfo[] = []): ModelInfo | undefined {
  return extra.find((m) => m.api === api && m.name === name) ?? catalog.find((m) => m.api === api && m.name === name);
}

/**
 * Facts assumed for a model of a known provider that the catalog does not know yet (a model
 * released after this colleague): what every current model of that API accepts, a modest
 * output limit, and the provider's highest catalog prices, so that a USD budget still stops
 * the session (early rather than never).
 */
export function defaultModelInfo(api: "anthropic" | "openai", name: string): ModelInfo {
  const known = catalog.filter((m) => m.api === api);
  const price = known.reduce((a, b) => (b.price.output > a.price.output ? b : a)).price;
  return api === "anthropic"
    ? { name, api, contextWindow: 200_000, maxOutput: 32_000, price, capabilities: { tools: true, images: true, reasoning: "budget" } }
    : { name, api, contextWindow: 400_000, maxOutput: 32_000, price, capabilities: { tools: true, images: true, reasoning: "effort", efforts: ["low", "medium", "high"] } };
}

/** The window a request may use: the long-context window when it is enabled. */
export function effectiveWindow(info: ModelInfo, longContext: boolean): number {
  return longContext && info.longContext ? info.longContext.window : info.contextWindow;
}

/** Cost in USD of one request's usage, applying long-context rates past the threshold. */
export function costUsd(info: ModelInfo, usage: Usage): number {
  const promptTokens = usage.input + usage.cacheRead + usage.cacheWrite;
  const long = info.longContext && promptTokens > info.longContext.threshold ? info.longContext : undefined;
  const p = long ?? info.price;
  const dollars =
    usage.input * p.input + usage.output * p.output + usage.cacheRead * p.cacheRead + usage.cacheWrite * p.cacheWrite;
  return dollars / 1_000_000;
}
