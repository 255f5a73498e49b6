import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { importFile } from "../vendor/load.js";

/**
 * A task's web site, served on 127.0.0.1 while the task runs: static files from its `site/`
 * folder, every non-GET request recorded (so a checker can see what a form submitted), and an
 * optional `site/server.mjs` for pages that need logic:
 *
 *   export default (req, res, site) => boolean   // true when it answered the request
 */
export interface Submission {
  method: string;
  path: string;
  contentType: string;
  body: string;
  /** The body as fields, for url-encoded and JSON bodies. */
  fields: Record<string, string>;
  at: string;
}

export interface Site {
  url: string;
  submissions: Submission[];
  /** Free state that server.mjs and the checker share. */
  state: Record<string, unknown>;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage & { body?: string }, res: ServerResponse, site: Site) => boolean | Promise<boolean>;

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".json": "application/json",
  ".csv": "text/csv",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".svg": "image/svg+xml",
  ".pdf": "application/pdf",
  ".txt": "text/plain; charset=utf-8",
  ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

export async function startSite(dir: string): Promise<Site> {
  const root = path.resolve(dir);
  const custom = path.join(root, "server.mjs");
  const handler: Handler | undefined = existsSync(custom) ? ((await importFile(custom)) as { default: Handler }).default : undefined;
  const site: Site = { url: "", submissions: [], state: {}, close: async () => {} };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      void answer(Object.assign(req, { body }), res).catch((error: Error) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end(error.message);
      });
    });
  });
  const answer = async (req: IncomingMessage & { body: string }, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.method !== "GET" && req.method !== "HEAD") site.submissions.push(submission(req, url.pathname));
    if (handler && (await handler(req, res, site))) return;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end("<!doctype html><title>Received</title><h1>Thank you, your submission was received.</h1>");
      return;
    }
    let file = path.join(root, decodeURIComponent(url.pathname));
    if (!file.startsWith(root)) return notFound(res);
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!existsSync(file) || path.basename(file) === "server.mjs") return notFound(res);
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  };
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  site.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  site.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return site;
}

function submission(req: IncomingMessage & { body: string }, pathname: string): Submission {
  const contentType = String(req.headers["content-type"] ?? "");
  let fields: Record<string, string> = {};
  if (contentType.includes("application/x-www-form-urlencoded")) fields = Object.fromEntries(new URLSearchParams(req.body));
  else if (contentType.includes("json")) {
    try {
      const parsed = JSON.parse(req.body) as Record<string, unknown>;
      fields = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
    } catch {
      fields = {};
    }
  }
  return { method: req.method ?? "POST", path: pathname, contentType, body: req.body, fields, at: new Date().toISOString() };
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { "content-type": "text/plain" });
  res.end("not found");
}
