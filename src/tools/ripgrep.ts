/**
 * Locating ripgrep and building its command lines. glob and grep run rg through
 * ctx.runner (a shell command line), so arguments are quoted here, in one place.
 */
import { createRequire } from "node:module";
import { shellQuote } from "../shell-quote.js";

let located: Promise<string> | undefined;
let override: string | undefined;

/**
 * Uses this rg binary instead of the bundled one (`undefined` restores the default). For tests
 * and for installs that ship their own; the sandbox binds whichever binary is in use.
 */
export function useRipgrepPath(binary: string | undefined): void {
  override = binary;
}

/** The bundled @vscode/ripgrep binary, or `rg` on PATH when the platform package is missing. */
export function ripgrepPath(): Promise<string> {
  if (override) return Promise.resolve(override);
  located ??= Promise.resolve().then(bundledRipgrep);
  return located;
}

/**
 * What @vscode/ripgrep's own module exports as `rgPath`, worked out the same way (its platform
 * package's binary, resolved from where the package is installed) without loading it: it is an
 * ES module, and the commands' CommonJS bundle would start Node's ES module loader for it
 * (~8 ms on the first search of every run).
 */
function bundledRipgrep(): string {
  try {
    const from = createRequire(createRequire(import.meta.url).resolve("@vscode/ripgrep"));
    const arch = process.env.npm_config_arch || process.arch;
    return from.resolve(`@vscode/ripgrep-${process.platform}-${arch}/bin/${process.platform === "win32" ? "rg.exe" : "rg"}`);
  } catch {
    return "rg";
  }
}

/** A shell command line running rg with these arguments. */
export async function ripgrepCommand(args: string[]): Promise<string> {
  return [await ripgrepPath(), ...args].map(shellQuote).join(" ");
}

/** Flags shared by glob and grep: hidden files count, .git never, .gitignore even outside a git repo. */
export const RG_COMMON = ["--hidden", "--glob", "!.git", "--no-require-git", "--color", "never"];

/** rg exits with 2 and this notice when its filters left nothing to search: not a failure to the model. */
export function nothingSearched(output: string): boolean {
  return output.startsWith("rg: No files were searched");
}
