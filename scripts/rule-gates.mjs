// The monitors' literal gates, computed at build time: src/policy/monitors/rule-gates.ts is
// replaced in both bundles by the table for the rules as built (see that file).
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

/** {gates: [{signature, gate}] for each of RULE_PATTERNS, grams}, from the sources being built. */
export async function ruleGateTable() {
  const out = path.join(os.tmpdir(), `colleague-rule-gates-${process.pid}-${Date.now()}.mjs`);
  await build({
    stdin: {
      contents: `export { RULE_PATTERNS } from "./src/policy/monitors/rules.ts"; export { gateSignature, gramsOf } from "./src/policy/monitors/literal-gate.ts"; export { literalGate } from "./src/policy/monitors/literal-parse.ts";`,
      resolveDir: process.cwd(),
      loader: "ts",
    },
    bundle: true,
    format: "esm",
    platform: "node",
    outfile: out,
    logLevel: "warning",
  });
  try {
    const { RULE_PATTERNS, gateSignature, gramsOf, literalGate } = await import(pathToFileURL(out).href);
    const gates = RULE_PATTERNS.map((re) => ({ signature: gateSignature(re), gate: literalGate(re) ?? null }));
    const grams = gramsOf(gates.flatMap((g) => g.gate ?? []));
    const bytes = Buffer.alloc(grams.length * 4);
    for (const [i, h] of grams.entries()) bytes.writeUInt32LE(h, i * 4);
    return { gates, grams: bytes.toString("base64") };
  } finally {
    rmSync(out, { force: true });
  }
}

/** The esbuild plugin that puts the table in place of rule-gates.ts. */
export function ruleGatesPlugin(table) {
  return {
    name: "rule-gates",
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/]policy[\\/]monitors[\\/]rule-gates\.ts$/ }, () => ({
        contents: `export const BUILT_GATES = ${JSON.stringify(table)};`,
        loader: "js",
      }));
    },
  };
}
