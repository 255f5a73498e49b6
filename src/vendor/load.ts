import { pathToFileURL } from "node:url";

/**
 * What colleague loads at run time from outside its bundle. First, the large libraries it loads on first use (office formats, PDF, the o200k tokenizer, the
 * HTML converter), each behind a module of its own in this folder. The build makes each of those
 * modules an entry of the ES-module build (dist/vendor/NAME.js), and the CommonJS bundle of the
 * commands (dist/cli.cjs) loads the same files instead of carrying copies: scripts/build.mjs
 * replaces this module there with one that imports dist/vendor/NAME.js. Every key here must have
 * its NAME.ts beside it (the build checks).
 */
export const loadVendor = {
  docx: () => import("./docx.js"),
  exceljs: () => import("./exceljs.js"),
  jszip: () => import("./jszip.js"),
  mammoth: () => import("./mammoth.js"),
  "mcp-client": () => import("./mcp-client.js"),
  pdfjs: () => import("./pdfjs.js"),
  "pdfjs-worker": () => import("./pdfjs-worker.js"),
  pptxgenjs: () => import("./pptxgenjs.js"),
  tiktoken: () => import("./tiktoken.js"),
  turndown: () => import("./turndown.js"),
};

/** A JavaScript file of the user's (an eval task's checker, a site's handler), CommonJS or ES module. */
export const importFile = (file: string): Promise<unknown> => import(pathToFileURL(file).href);
