// Bundles a script entry that imports TypeScript (the monitors' training code) and imports it.
import { build } from "esbuild";

export async function importBundled(entry, name) {
  const out = `node_modules/.cache/${name}.mjs`;
  await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "node",
    outfile: out,
    external: ["web-tree-sitter", "tree-sitter-wasms", "esbuild"],
    logLevel: "warning",
  });
  return import(`${process.cwd()}/${out}?t=${Date.now()}`);
}
