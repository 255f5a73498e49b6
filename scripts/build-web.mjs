// Builds the web dashboard (web/, Vite + React) into dist/web, or into `outDir`. Vite is a dev
// dependency: the output is plain files that `colleague serve` serves, so an installed
// colleague never needs Vite at run time. Run directly: `node scripts/build-web.mjs [outDir]`.
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

export async function buildWeb(outDir) {
  const { build } = await import("vite");
  await build({
    configFile: `${root}web/vite.config.mjs`,
    logLevel: "warn",
    ...(outDir ? { build: { outDir, emptyOutDir: true } } : {}),
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildWeb(process.argv[2]);
