import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { streamSSE } from "hono/streaming";
import type { z } from "zod";
import { isEphemeral } from "../agent/events.js";
import { version } from "../cli/version.js";
import { openApiDocument } from "../protocol/openapi.js";
import {
  AnswerApproval,
  CreateReview,
  CreateSession,
  CreateTeam,
  ForkSession,
  MessageAgent,
  RewindSession,
  SendMessage,
  SessionListQuery,
  SetEffort,
  SetModel,
  SignIn,
} from "../protocol/schemas.js";
import type { EvalStore } from "../eval/eval-store.js";
import { Authenticator, changesState, crossSiteRefusal } from "./auth.js";
import { badRequest, ProtocolError } from "./errors.js";
import { mountEvals } from "./evals.js";
import type { SessionService } from "./sessions.js";
import { defaultWebDir, mountWeb } from "./web.js";

export interface AppOptions {
  /** Every route needs `Authorization: Bearer <token>`. */
  token: string;
  /** Largest request body, in bytes. */
  maxBodyBytes?: number;
  /** Origins allowed to call from a browser; none by default. */
  corsOrigins?: string[];
  /** The built dashboard served at `/` (default: the package's dist/web); false serves none. */
  webDir?: string | false;
  /** The evaluation store behind `/evals` (opened on first use); none: no evaluation routes. */
  evals?: () => Promise<EvalStore>;
}

/**
 * The HTTP face of the protocol: JSON commands validated by the protocol's schemas, and each
 * session's events as Server-Sent Events (`id:` is the event's seq, so a client that reconnects
 * with Last-Event-ID gets every durable event it missed, once). Every error is a JSON body
 * `{ error: { code, message } }`; a failing request never affects another session.
 */
export function createApp(service: SessionService, options: AppOptions): Hono {
  const app = new Hono();
  const auth = new Authenticator(options.token);
  const origins = new Set(options.corsOrigins ?? []);

  app.onError((error, c) => {
    if (error instanceof ProtocolError) return c.json({ error: { code: error.code, message: error.message } }, error.status);
    return c.json({ error: { code: "internal", message: error.message } }, 500);
  });
  app.notFound((c) => c.json({ error: { code: "not_found", message: `no route ${c.req.method} ${c.req.path}` } }, 404));

  if (options.webDir !== false) mountWeb(app, options.webDir ?? defaultWebDir());
  const smallBody = bodyLimit({ maxSize: 4096, onError: (c) => c.json({ error: { code: "too_large", message: "the sign-in body is over 4096 bytes" } }, 413) });
  app.post("/auth/session", smallBody, async (c) => {
    const refusal = crossSiteRefusal(c);
    if (refusal) return c.json({ error: { code: "forbidden", message: refusal } }, 403);
    const { token } = await body(c.req.raw, SignIn);
    if (!auth.tokenMatches(token)) return c.json({ error: { code: "unauthorized", message: "that is not this server's token (see `colleague serve`)" } }, 401);
    c.header("Set-Cookie", auth.signInCookie(c));
    c.header("Cache-Control", "no-store");
    return c.json({ ok: true as const });
  });
  app.post("/auth/signout", (c) => {
    c.header("Set-Cookie", auth.signOutCookie(c));
    return c.json({ ok: true as const });
  });

  app.use("*", async (c, next) => {
    const origin = c.req.header("origin");
    if (origin && origins.has(origin)) {
      c.header("Access-Control-Allow-Origin", origin);
      c.header("Vary", "Origin");
      if (c.req.method === "OPTIONS") {
        c.header("Access-Control-Allow-Headers", "authorization, content-type, last-event-id");
        c.header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        return c.body(null, 204);
      }
    }
    const credential = auth.credentialOf(c);
    if (!credential) {
      return c.json({ error: { code: "unauthorized", message: "a valid bearer token is required (see `colleague serve`), or sign in to the dashboard" } }, 401);
    }
    const refusal = credential === "cookie" && changesState(c.req.method) ? crossSiteRefusal(c) : undefined;
    if (refusal) return c.json({ error: { code: "forbidden", message: refusal } }, 403);
    await next();
  });
  app.use(
    "*",
    bodyLimit({
      maxSize: options.maxBodyBytes ?? 1024 * 1024,
      onError: (c) => c.json({ error: { code: "too_large", message: `the request body is over ${options.maxBodyBytes ?? 1024 * 1024} bytes` } }, 413),
    }),
  );

  app.get("/openapi.json", (c) => c.json(openApiDocument(version())));
  if (options.evals) mountEvals(app, options.evals);

  app.post("/sessions", async (c) => c.json({ session: await service.create(await body(c.req.raw, CreateSession)) }, 201));
  app.post("/teams", async (c) => c.json({ session: await service.createTeam(await body(c.req.raw, CreateTeam)) }, 201));
  app.post("/reviews", async (c) => c.json({ session: await service.createReview(await body(c.req.raw, CreateReview)) }, 201));
  app.get("/sessions/:id/board", (c) => c.json({ tasks: service.board(c.req.param("id")) }));
  app.post("/sessions/:id/agents/:agentId/messages", async (c) => {
    const { text } = await body(c.req.raw, MessageAgent);
    service.messageAgent(c.req.param("id"), c.req.param("agentId"), text);
    return c.json({ ok: true as const }, 202);
  });
  app.get("/sessions", (c) => {
    const query = c.req.query();
    if (query.offset === undefined && query.q === undefined && query.status === undefined) {
      return c.json({ sessions: service.list(limitOf(query.limit)) });
    }
    const parsed = SessionListQuery.safeParse(query);
    if (!parsed.success) throw badRequest(`${parsed.error.issues[0]!.path.join(".")}: ${parsed.error.issues[0]!.message}`);
    const { limit, offset, q, status } = parsed.data;
    const statuses = status?.split(",").map((s) => s.trim()).filter(Boolean);
    return c.json(service.page({ limit, offset, ...(q ? { search: q } : {}), ...(statuses?.length ? { statuses } : {}) }));
  });
  app.get("/server", (c) => c.json({ version: version(), roots: service.workspaceRoots }));
  app.get("/sessions/:id/findings", (c) => c.json({ findings: service.reviewFindings(c.req.param("id")) }));
  app.get("/sessions/:id/review.sarif", (c) => c.body(service.reviewReport(c.req.param("id"), "sarif"), 200, { "content-type": "application/sarif+json" }));
  app.get("/sessions/:id/review.md", (c) => c.body(service.reviewReport(c.req.param("id"), "md"), 200, { "content-type": "text/markdown; charset=utf-8" }));
  app.get("/sessions/:id", (c) => c.json(service.detail(c.req.param("id"))));
  app.post("/sessions/:id/messages", async (c) => {
    await service.message(c.req.param("id"), await body(c.req.raw, SendMessage));
    return c.json({ ok: true as const }, 202);
  });
  app.post("/sessions/:id/interrupt", (c) => c.json({ ok: true as const, running: service.interrupt(c.req.param("id")) }, 202));
  app.post("/sessions/:id/effort", async (c) => {
    const { effort } = await body(c.req.raw, SetEffort);
    return c.json({ ok: true as const, running: service.setEffort(c.req.param("id"), effort) }, 202);
  });
  app.post("/sessions/:id/model", async (c) => {
    const { model } = await body(c.req.raw, SetModel);
    return c.json({ ok: true as const, running: await service.setModel(c.req.param("id"), model) }, 202);
  });
  app.get("/models", (c) => c.json({ models: service.models() }));
  app.post("/sessions/:id/compact", (c) => c.json({ ok: true as const, running: service.compact(c.req.param("id")) }, 202));
  app.get("/sessions/:id/approvals", (c) => c.json({ approvals: service.detail(c.req.param("id")).approvals }));
  app.post("/sessions/:id/approvals/:callId", async (c) => {
    service.answer(c.req.param("id"), c.req.param("callId"), await body(c.req.raw, AnswerApproval));
    return c.json({ ok: true as const });
  });
  app.post("/sessions/:id/fork", async (c) => {
    const { seq } = await body(c.req.raw, ForkSession);
    return c.json({ session: service.fork(c.req.param("id"), seq) }, 201);
  });
  app.post("/sessions/:id/rewind", async (c) => c.json(await service.rewind(c.req.param("id"), await body(c.req.raw, RewindSession))));

  app.get("/sessions/:id/events", (c) => {
    const id = c.req.param("id");
    const since = Number(c.req.header("last-event-id") ?? c.req.query("since") ?? 0);
    if (!Number.isInteger(since) || since < 0) throw badRequest("Last-Event-ID / since must be a whole number");
    service.detail(id); // 404 before the stream starts
    return streamSSE(c, async (stream) => {
      let chain = Promise.resolve();
      const unsubscribe = service.subscribe(id, since, (event) => {
        // Writes are chained so events leave in order; ephemeral deltas carry no id (they are not replayable).
        const message = { event: event.type, data: JSON.stringify(event), ...(isEphemeral(event.type) ? {} : { id: String(event.seq) }) };
        chain = chain.then(() => stream.writeSSE(message)).catch(() => undefined);
      });
      const closed = new Promise<void>((resolve) => stream.onAbort(resolve));
      const keepAlive = setInterval(() => {
        chain = chain.then(() => stream.write(": keep-alive\n\n")).then(() => undefined, () => undefined);
      }, 15_000);
      await closed;
      clearInterval(keepAlive);
      unsubscribe();
    });
  });
  return app;
}

/** Parses and validates a JSON body: malformed JSON and schema violations are one-line 400s. */
async function body<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  let json: unknown;
  try {
    const text = await request.text();
    json = text ? JSON.parse(text) : {};
  } catch (error) {
    throw badRequest(`the body is not valid JSON (${(error as Error).message})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badRequest(`${issue.path.join(".") || "body"}: ${issue.message}`);
  }
  return parsed.data;
}

function limitOf(value: string | undefined): number {
  if (value === undefined) return 50;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0 || n > 10_000) throw badRequest(`limit must be a whole number from 1 to 10000, got "${value}"`);
  return n;
}
