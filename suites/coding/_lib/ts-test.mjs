// Runs a TypeScript task's hidden test: type-checks every .ts file, then compiles them to .mjs
// next to themselves and runs hidden.test.mjs with node's test runner.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const ts = createRequire(import.meta.url)(process.env.COLLEAGUE_TS);
const files = readdirSync(".").filter((f) => f.endsWith(".ts"));
const program = ts.createProgram(files, { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, allowImportingTsExtensions: true, skipLibCheck: true, types: [] });
const errors = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
if (errors.length) {
  console.error(`type errors:\n${errors.slice(0, 5).join("\n")}`);
  process.exit(1);
}
for (const f of files) {
  const out = ts.transpileModule(readFileSync(f, "utf8"), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  writeFileSync(f.replace(/\.ts$/, ".mjs"), out.replace(/from "(\.\/[^"]+)\.ts"/g, 'from "$1.mjs"'));
}
const run = spawnSync(process.execPath, ["--test", "hidden.test.mjs"], { stdio: "inherit" });
process.exit(run.status ?? 1);
