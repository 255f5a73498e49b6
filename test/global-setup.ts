import { execFileSync } from "node:child_process";

/** CLI tests run the shipped entry point (bin → dist), so build it once first. */
export default function setup(): void {
  execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
}
