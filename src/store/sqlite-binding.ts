import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import Database from "better-sqlite3";

let bindingPath: string | null | undefined;

/**
 * The addon's path when it sits where `npm install` builds it: better-sqlite3 otherwise finds
 * it through the `bindings` package, which probes a dozen paths on every start (~5 ms).
 */
function nativeBinding(): string | undefined {
  if (bindingPath === undefined) {
    try {
      const pkg = createRequire(import.meta.url).resolve("better-sqlite3/package.json");
      const file = path.join(path.dirname(pkg), "build/Release/better_sqlite3.node");
      bindingPath = existsSync(file) ? file : null;
    } catch {
      bindingPath = null;
    }
  }
  return bindingPath ?? undefined;
}

/**
 * A better-sqlite3 database, its addon loaded from where it was built. The CommonJS bundle holds
 * the package's JavaScript (scripts/build-cjs.mjs), so it comes from the code cache instead of
 * ~12 files compiled on every start (~8 ms); an addon anywhere else is found by the package as
 * installed, through `bindings`.
 */
export function openSqlite(file: string, options: Database.Options = {}): Database.Database {
  const binding = nativeBinding();
  if (binding) return new Database(file, { ...options, nativeBinding: binding });
  const Installed = createRequire(import.meta.url)("better-sqlite3") as typeof Database;
  return new Installed(file, options);
}
