#!/usr/bin/env node
// The shipped entry point: the bundled CLI (npm install builds it).
import("../dist/cli.js").catch((error) => {
  if (error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist/cli.js")) {
    console.error("colleague: dist/ is missing; run `npm install` (or `npm run build`) in the colleague folder first");
    process.exit(2);
  }
  throw error;
});
