import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where a tree-sitter grammar (`tree-sitter-bash.wasm`, …) is. A build ships only the grammars
 * colleague uses, in dist/grammars/ (scripts/build.mjs copies them): the tree-sitter-wasms
 * package holds ~40 of them, 50 MB, and is not installed with colleague. Running from source
 * (the tests), they come from that package, a dev dependency.
 */
export function grammarFile(file: string): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const dir of [path.join(here, "grammars"), path.join(here, "../grammars")]) {
    const candidate = path.join(dir, file);
    if (existsSync(candidate)) return candidate;
  }
  return createRequire(import.meta.url).resolve(`tree-sitter-wasms/out/${file}`);
}
