// Bundles a script entry that imports TypeScript (the monitors' training code) and imports it.
import { rmSync } from "node:fs";
import { build } from "esbuild";

export async function importBundled(entry, name) {
  // One file per process: runs started together (the halves of a cross-validation) would otherwise import each other's half-written bundle.
  const out = `node_modules/.cache/${name}-${process.pid}.mjs`;
  await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "node",
    outfile: out,
    external: ["web-tree-sitter", "tree-sitter-wasms", "esbuild"],
    logLevel: "warning",
  });
  try {
    return await import(`${process.cwd()}/${out}`);
  } finally {
    rmSync(out, { force: true });
  }
}
