/** Claude Code's model aliases, as its agent and command files write them. */
const ALIASES: Record<string, string> = {
  opus: "anthropic:claude-opus-4-6",
  sonnet: "anthropic:claude-sonnet-4-5",
  haiku: "anthropic:claude-haiku-4-5",
};

/** The model id a definition's `model` field means; undefined for `inherit` or none. */
export function modelIdFor(model: string | undefined): string | undefined {
  if (!model || model === "inherit") return undefined;
  return ALIASES[model.toLowerCase()] ?? model;
}
