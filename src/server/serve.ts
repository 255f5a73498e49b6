import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { type EvalStore, evalStoreLocation, openEvalStore } from "../eval/eval-store.js";
import { createApp } from "./app.js";
import { SessionService, type SessionServiceOptions } from "./sessions.js";
import { attachWebSocket } from "./websocket.js";

export interface ServerOptions extends SessionServiceOptions {
  token: string;
  /** Default 127.0.0.1: the server is for this machine unless the person says otherwise. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  maxBodyBytes?: number;
  corsOrigins?: string[];
  /** The built dashboard to serve at `/` (default: the package's dist/web); false serves none. */
  webDir?: string | false;
  /** The evaluation store for `/evals` (default: src/eval/eval-store.ts evalStoreLocation). */
  evalStore?: string;
}

export interface RunningServer {
  url: string;
  service: SessionService;
  /** Stops taking requests, interrupts running sessions (their logs record it) and closes the store. */
  close(): Promise<void>;
}

/** Starts `colleague serve` in this process (the CLI command and the tests use this). */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const service = new SessionService(options);
  let evals: Promise<EvalStore> | undefined;
  const evalsLocation = options.evalStore ?? evalStoreLocation(options.env ?? process.env, typeof options.store === "string" ? { store: options.store } : {});
  const app = createApp(service, {
    evals: () => {
      // A store that could not be opened (PostgreSQL down) is tried again on the next request.
      evals ??= openEvalStore(evalsLocation).catch((error: unknown) => {
        evals = undefined;
        throw error;
      });
      return evals;
    },
    token: options.token,
    ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}),
    ...(options.webDir !== undefined ? { webDir: options.webDir } : {}),
  });
  const hostname = options.host ?? "127.0.0.1";
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname, port: options.port ?? 0 }, () => resolve(s));
    s.once("error", reject);
  });
  const detachWebSocket = attachWebSocket(server, service, options.token);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`,
    service,
    close: async () => {
      detachWebSocket();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Open event streams would hold close() forever.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await service.close();
      (await evals?.catch(() => undefined))?.close();
    },
  };
}
