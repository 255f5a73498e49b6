import { catalog } from "../model/catalog.js";
import { parseFlags } from "./args.js";
import { COMMANDS } from "./commands.js";
import { formatTokens } from "./render.js";
import { printTable } from "./sessions.js";

/** `colleague models`: the catalog — ids, windows, output limits, prices, reasoning. */
export function modelsCommand(argv: string[]): number {
  const { values } = parseFlags(argv, COMMANDS.models.flags, "models");
  if (values.json) {
    for (const m of catalog) process.stdout.write(`${JSON.stringify({ id: `${m.api}:${m.name}`, ...m })}\n`);
    return 0;
  }
  printTable(
    ["MODEL", "WINDOW", "MAX OUT", "$/M IN", "$/M OUT", "$/M CACHED", "REASONING"],
    catalog.map((m) => [
      `${m.api}:${m.name}`,
      formatTokens(m.contextWindow) + (m.longContext ? ` (${formatTokens(m.longContext.window)} beta)` : ""),
      formatTokens(m.maxOutput),
      m.price.input.toFixed(2),
      m.price.output.toFixed(2),
      m.price.cacheRead.toFixed(3),
      m.capabilities.efforts ? `${m.capabilities.reasoning}: ${m.capabilities.efforts.join("/")}` : m.capabilities.reasoning,
    ]),
  );
  process.stdout.write(
    "\nAlso: compatible:MODEL@BASE_URL for Ollama, llama.cpp, vLLM or LM Studio (e.g. compatible:qwen3-coder@http://127.0.0.1:11434/v1),\n" +
      "and scripted:./scenario.json for a scripted model (tests, demos).\n",
  );
  return 0;
}
