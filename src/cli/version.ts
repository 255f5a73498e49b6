import { readFileSync } from "node:fs";
import { packageRoot } from "./paths.js";

declare const __COLLEAGUE_VERSION__: string | undefined;

/** Inlined by the build; read from package.json when running from source. */
export function version(): string {
  if (typeof __COLLEAGUE_VERSION__ === "string") return __COLLEAGUE_VERSION__;
  return (JSON.parse(readFileSync(`${packageRoot()}/package.json`, "utf8")) as { version: string }).version;
}
