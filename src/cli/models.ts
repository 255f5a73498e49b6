import { loadConfig } from "../config/config.js";
import { configuredModels } from "../config/models.js";
import { catalog } from "../model/catalog.js";
import { parseFlags } from "./args.js";
import { COMMANDS } from "./commands.js";
import { formatTokens } from "./render.js";
import { printTable } from "./sessions.js";

/**
 * `colleague models`: the catalog — ids, windows, output limits, prices, reasoning — with the
 * models described under `models` in config (marked), which take precedence.
 */
export function modelsCommand(argv: string[]): number {
  const { values } = parseFlags(argv, COMMANDS.models.flags, "models");
  const configured = configuredModels(loadConfig(process.cwd()).config);
  const id = (m: { api: string; name: string }) => `${m.api}:${m.name}`;
  const fromConfig = new Set(configured.map(id));
  const all = [...configured, ...catalog.filter((m) => !fromConfig.has(id(m)))];
  if (values.json) {
    for (const m of all) process.stdout.write(`${JSON.stringify({ id: id(m), ...m, ...(fromConfig.has(id(m)) ? { source: "config" } : {}) })}\n`);
    return 0;
  }
  printTable(
    ["MODEL", "WINDOW", "MAX OUT", "$/M IN", "$/M OUT", "$/M CACHED", "REASONING"],
    all.map((m) => [
      `${id(m)}${fromConfig.has(id(m)) ? " (config)" : ""}`,
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
      "and scripted:./scenario.json for a scripted model (tests, demos). A newer model id of a known provider runs with\n" +
      'default facts and a warning; describe it under "models" in ~/.colleague/config.json (docs/configuration.md).\n',
  );
  return 0;
}
