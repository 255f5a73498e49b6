import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CompactWeights } from "./classifier.js";

const FILE = "classifier-weights.json";

/**
 * The trained classifier's weights, read from disk on first use rather than bundled: the table is
 * hundreds of kilobytes that every start would otherwise parse, and most commands never screen
 * anything. A build copies it next to the bundle (scripts/build.mjs); from source it sits here.
 */
export function loadWeights(): CompactWeights {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const dir of [here, path.join(here, "..")]) {
    const candidate = path.join(dir, FILE);
    if (existsSync(candidate)) return JSON.parse(readFileSync(candidate, "utf8")) as CompactWeights;
  }
  throw new Error(`the monitors' classifier weights (${FILE}) are missing next to ${here}: reinstall colleague`);
}
