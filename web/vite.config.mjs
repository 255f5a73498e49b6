// The dashboard's build: `node scripts/build.mjs` runs it into dist/web, which `colleague serve`
// serves at `/`. No CDN and no runtime dependency on Vite: the output is plain files.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root: here,
  base: "/",
  logLevel: "warn",
  // JSX through Vite's own transform (oxc) with React's automatic runtime.
  oxc: { jsx: { runtime: "automatic", importSource: "react" } },
  build: {
    outDir: process.env.COLLEAGUE_WEB_OUT ?? fileURLToPath(new URL("../dist/web", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    reportCompressedSize: false,
  },
});
