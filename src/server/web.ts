import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Context, Hono } from "hono";
import { compress } from "hono/compress";

/**
 * The web dashboard's files (built by Vite into dist/web at package time) served at `/`.
 * Only files that exist in that folder when the server starts are served, by exact name, so no
 * request path can reach anything else. index.html is public (it holds no data; the sign-in
 * form is part of the app); every API route still needs the token or the sign-in cookie.
 */

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

/** The page may load only its own files and talk only to this server; no other site may frame it. */
const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

/** dist/web of the colleague package this module belongs to (from src/ when run from source, dist/ when bundled). */
export function defaultWebDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(path.join(dir, "package.json"))) return path.join(dir, "dist", "web");
    dir = path.dirname(dir);
  }
  return path.resolve("dist", "web");
}

/** Registers GET routes for the dashboard's files; call before the authentication middleware. */
export function mountWeb(app: Hono, webDir: string): void {
  const files = listFiles(webDir);
  const index = files.get("index.html");
  const page = (c: Context) => {
    if (!index) {
      return c.html("<!doctype html><title>colleague</title><p>The dashboard is not built here: run <code>npm run build</code> in the colleague checkout.</p>", 404, SECURITY_HEADERS);
    }
    return c.body(readFileSync(index), 200, { ...SECURITY_HEADERS, "content-type": TYPES[".html"]!, "cache-control": "no-cache" });
  };
  app.use("/assets/*", compress());
  app.get("/", page);
  app.get("/index.html", page);
  for (const [name, file] of files) {
    if (name === "index.html") continue;
    const type = TYPES[path.extname(name)] ?? "application/octet-stream";
    // Vite puts a content hash in every name under assets/: those never change.
    const cache = name.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache";
    app.get(`/${name}`, (c) => c.body(readFileSync(file), 200, { ...SECURITY_HEADERS, "content-type": type, "cache-control": cache }));
  }
}

function listFiles(root: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(root)) return files;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(path.relative(root, full).split(path.sep).join("/"), full);
    }
  };
  walk(root);
  return files;
}
