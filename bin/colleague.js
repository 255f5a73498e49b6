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
  const commands = path.join(__dirname, "../dist/cli.cjs");
  if (!existsSync(entry)) {
    console.error("colleague: dist/ is missing; run `npm install` (or `npm run build`) in the colleague folder first");
    process.exit(2);
  }
  // Regular expressions compile straight to native code. By default V8 first interprets a pattern
  // and compiles it on its second use: the monitors' ~130 patterns, read on every screen, were
  // compiled twice in the first two screens (scoreRules: 53–93 ms of CPU in `hello` → 21–27 ms;
  // `node bench/profile.mjs hello`).
  require("node:v8").setFlagsFromString("--no-regexp-tier-up");
  // The young generation stays at its first size (1 MB a half) instead of doubling while the
  // bundle loads, when almost everything survives: each doubling is memory touched for good
  // (session10 peak RSS 81 → 74 MB, 500 shell steps 142 → 129 MB) and bought no speed (per step
  // 46 → 44 ms; `node bench/ab.mjs`, `node bench/steps500.mjs --build`). The size flags
  // themselves are read before any script runs; the growth factor is read at each growth.
  require("node:v8").setFlagsFromString("--semi-space-growth-factor=1");
  // `colleague` on a terminal: the TUI's first frame now, while the bundle loads (bench/README.md).
  require("./early-frame.js").drawEarlyFrame(process.argv.slice(2));
  // The commands from the CommonJS bundle, with its code cache; the TUI and the servers from the ES modules (bin/commands-bundle.js).
  const bundle = require("./commands-bundle.js");
  if (!bundle.needsModuleBuild(process.argv.slice(2)) && existsSync(commands)) bundle.runCommandsBundle(commands);
  else import(pathToFileURL(entry).href);
}
