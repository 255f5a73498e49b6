import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { z } from "zod";
import { AnswerApproval, Effort, SetModel } from "../protocol/schemas.js";
import { ProtocolError } from "./errors.js";
import type { SessionService } from "./sessions.js";

/**
 * The protocol over one WebSocket (`/ws`), for clients that want a single socket instead of SSE
 * plus requests: subscribe to any number of sessions (with `since`, as Last-Event-ID), and send
 * the steering commands. Every frame is JSON. Authentication as for HTTP: `Authorization:
 * Bearer <token>` on the upgrade, or `?token=` for browsers, which cannot set that header.
 */
export const WsCommand = z.discriminatedUnion("type", [
  z.object({ type: z.literal("subscribe"), sessionId: z.string(), since: z.number().int().nonnegative().optional() }).strict(),
  z.object({ type: z.literal("unsubscribe"), sessionId: z.string() }).strict(),
  z.object({ type: z.literal("steer"), id: z.string().optional(), sessionId: z.string(), text: z.string().min(1), urgent: z.boolean().optional() }).strict(),
  z.object({ type: z.literal("queue"), id: z.string().optional(), sessionId: z.string(), text: z.string().min(1) }).strict(),
  z.object({ type: z.literal("interrupt"), id: z.string().optional(), sessionId: z.string() }).strict(),
  z.object({ type: z.literal("effort"), id: z.string().optional(), sessionId: z.string(), effort: Effort }).strict(),
  z.object({ type: z.literal("model"), id: z.string().optional(), sessionId: z.string(), model: SetModel.shape.model }).strict(),
  z.object({ type: z.literal("answer"), id: z.string().optional(), sessionId: z.string(), callId: z.string() }).extend(AnswerApproval.shape).strict(),
]);
export type WsCommand = z.infer<typeof WsCommand>;

/** Frames the server sends: `event` (one agent event), `result` (a command done), `error`. */
export type WsFrame =
  | { type: "event"; sessionId: string; event: unknown }
  | { type: "result"; id?: string; ok: true }
  | { type: "error"; id?: string; error: { code: string; message: string } };

/** Handles upgrades on `path`; anything else on the upgrade event is refused. */
export function attachWebSocket(server: { on(event: "upgrade", listener: (req: IncomingMessage, socket: Duplex, head: Buffer) => void): unknown }, service: SessionService, token: string, path = "/ws"): () => void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const expected = Buffer.from(token);
  server.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const given = Buffer.from((req.headers.authorization ?? "").replace(/^Bearer\s+/i, "") || url.searchParams.get("token") || "");
    if (url.pathname !== path || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      socket.end(`HTTP/1.1 ${url.pathname !== path ? "404 Not Found" : "401 Unauthorized"}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => connection(ws, service));
  });
  return () => {
    for (const client of wss.clients) client.terminate();
    wss.close();
  };
}

function connection(ws: WebSocket, service: SessionService): void {
  const subscriptions = new Map<string, () => void>();
  const send = (frame: WsFrame) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
  ws.on("message", async (data) => {
    let command: WsCommand;
    try {
      const parsed = WsCommand.safeParse(JSON.parse(String(data)));
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        return send({ type: "error", error: { code: "bad_request", message: `${issue.path.join(".") || "frame"}: ${issue.message}` } });
      }
      command = parsed.data;
    } catch (error) {
      return send({ type: "error", error: { code: "bad_request", message: `the frame is not valid JSON (${(error as Error).message})` } });
    }
    const id = "id" in command ? command.id : undefined;
    try {
      switch (command.type) {
        case "subscribe":
          subscriptions.get(command.sessionId)?.();
          subscriptions.set(command.sessionId, service.subscribe(command.sessionId, command.since ?? 0, (event) => send({ type: "event", sessionId: command.sessionId, event })));
          return;
        case "unsubscribe":
          subscriptions.get(command.sessionId)?.();
          subscriptions.delete(command.sessionId);
          return;
        case "steer":
          await service.message(command.sessionId, { text: command.text, mode: "steer", ...(command.urgent ? { urgent: true } : {}) });
          break;
        case "queue":
          await service.message(command.sessionId, { text: command.text, mode: "queue" });
          break;
        case "interrupt":
          service.interrupt(command.sessionId);
          break;
        case "effort":
          service.setEffort(command.sessionId, command.effort);
          break;
        case "model":
          await service.setModel(command.sessionId, command.model);
          break;
        case "answer":
          service.answer(command.sessionId, command.callId, { answer: command.answer, ...(command.reason ? { reason: command.reason } : {}) });
          break;
      }
      send({ type: "result", ...(id ? { id } : {}), ok: true });
    } catch (error) {
      const code = error instanceof ProtocolError ? error.code : "internal";
      send({ type: "error", ...(id ? { id } : {}), error: { code, message: (error as Error).message } });
    }
  });
  ws.on("close", () => {
    for (const stop of subscriptions.values()) stop();
    subscriptions.clear();
  });
}
