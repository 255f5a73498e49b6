#!/usr/bin/env node
// The shipped entry point: the bundled CLI, which `npm install` builds into dist/.
import { existsSync } from "node:fs";

const entry = new URL("../dist/cli.js", import.meta.url);
if (!existsSync(entry)) {
  console.error("colleague: dist/ is missing; run `npm install` (or `npm run build`) in the colleague folder first");
  process.exit(2);
}
await import(entry.href);
