// The bench plays its scenarios through the SAME fake provider servers as the tests
// (test/fakes/*.ts). They are TypeScript, so they are bundled with esbuild, when the bench
// starts, into node_modules/.cache/colleague-bench/; nothing of their logic is copied here.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Bundles test/fakes into node_modules/.cache/colleague-bench/fakes.mjs and imports it. */
export async function loadFakes() {
  const outfile = path.join(root, "node_modules/.cache/colleague-bench/fakes.mjs");
  mkdirSync(path.dirname(outfile), { recursive: true });
  await build({
    stdin: {
      contents: [
        'export { anthropicFakeFromScenario, startAnthropicFake } from "./test/fakes/anthropic.ts";',
        'export { openaiFakeFromScenario } from "./test/fakes/openai.ts";',
      ].join("\n"),
      resolveDir: root,
      loader: "ts",
    },
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "warning",
  });
  return import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
}

/**
 * Wraps a fake so the bench can count what the CLI sent: requests and their body bytes
 * (UTF-8, as on the wire) since `mark()`.
 */
export function traffic(server) {
  let from = 0;
  return {
    mark() {
      from = server.requests.length;
    },
    since() {
      const sizes = server.requests.slice(from).map((r) => Buffer.byteLength(r.rawBody, "utf8"));
      return {
        requests: sizes.length,
        totalBytes: sizes.reduce((a, b) => a + b, 0),
        firstBytes: sizes[0] ?? 0,
      };
    },
  };
}
