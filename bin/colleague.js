#!/usr/bin/env node
// The shipped entry point: the bundled CLI, which `npm install` builds into dist/.
// CommonJS on purpose (bin/package.json): `--version` answers here, from package.json, without
// starting Node's ES module loader or loading the bundle (~30 ms of a ~150 ms budget; see
// bench/README.md). Everything else, `--version` included in dist/cli.js, goes to the bundle.
const arg = process.argv[2];
if (arg === "--version" || arg === "-v" || arg === "version") {
  process.stdout.write(`colleague ${require("../package.json").version}\n`);
} else {
  const { existsSync } = require("node:fs");
  const path = require("node:path");
  const { pathToFileURL } = require("node:url");
  const entry = path.join(__dirname, "../dist/cli.js");
  if (!existsSync(entry)) {
    console.error("colleague: dist/ is missing; run `npm install` (or `npm run build`) in the colleague folder first");
    process.exit(2);
  }
  import(pathToFileURL(entry).href);
}
