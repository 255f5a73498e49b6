import { z } from "zod";
import {
  Accepted,
  AnswerApproval,
  CreateReview,
  CreateSession,
  CreateTeam,
  ErrorBody,
  ForkSession,
  MessageAgent,
  PendingApproval,
  RewindOutcome,
  RewindSession,
  SendMessage,
  SessionDetail,
  ReviewFindings,
  ServerInfo,
  SessionList,
  SessionSummary,
  SetEffort,
  SetModel,
  ModelList,
  AcceptedForRun,
  SignIn,
  StreamEvent,
  TaskSchema,
} from "./schemas.js";

interface Route {
  method: "get" | "post";
  path: string;
  summary: string;
  body?: z.ZodType;
  response: z.ZodType;
  status?: number;
  /** The response is a text/event-stream of this schema. */
  stream?: boolean;
}

/** Every route of the protocol, once: the server serves these and the document describes them. */
export const ROUTES: Route[] = [
  { method: "post", path: "/sessions", summary: "Start a session on a task", body: CreateSession, response: z.object({ session: SessionSummary }), status: 201 },
  { method: "get", path: "/sessions", summary: "List sessions, newest first (?limit=N&offset=M&q=words&status=a,b); total counts every match", response: SessionList },
  { method: "get", path: "/sessions/{id}", summary: "A session and the approvals it waits for", response: SessionDetail },
  { method: "get", path: "/sessions/{id}/events", summary: "The session's events since Last-Event-ID (or ?since=seq), then live", response: StreamEvent, stream: true },
  { method: "post", path: "/sessions/{id}/messages", summary: "Steer or queue into a running session; continue a stopped one", body: SendMessage, response: Accepted, status: 202 },
  { method: "post", path: "/sessions/{id}/interrupt", summary: "Stop the running turn now", response: Accepted, status: 202 },
  { method: "post", path: "/sessions/{id}/effort", summary: "Change the effort from the next step", body: SetEffort, response: Accepted, status: 202 },
  {
    method: "post",
    path: "/sessions/{id}/model",
    summary: "Switch the model from the next step (a stopped session continues with it); an id the host cannot run is a 400",
    body: SetModel,
    response: AcceptedForRun,
    status: 202,
  },
  { method: "get", path: "/models", summary: "Models a session can use: the catalog and those described in config", response: ModelList },
  { method: "post", path: "/sessions/{id}/compact", summary: "Compact the history before the next request", response: Accepted, status: 202 },
  { method: "get", path: "/sessions/{id}/approvals", summary: "Approvals the session waits for", response: z.object({ approvals: z.array(PendingApproval) }) },
  { method: "post", path: "/sessions/{id}/approvals/{callId}", summary: "Answer an approval: once, session, or deny with a reason", body: AnswerApproval, response: Accepted },
  { method: "post", path: "/teams", summary: "Start a team (a lead and teammates) on a task", body: CreateTeam, response: z.object({ session: SessionSummary }), status: 201 },
  { method: "post", path: "/reviews", summary: "Start a review: reviewers with a focus each; findings arrive as finding_reported events", body: CreateReview, response: z.object({ session: SessionSummary }), status: 201 },
  { method: "get", path: "/sessions/{id}/board", summary: "A team's task board", response: z.object({ tasks: z.array(TaskSchema) }) },
  { method: "post", path: "/sessions/{id}/agents/{agentId}/messages", summary: "A message to one agent of a running team (lead or teammate)", body: MessageAgent, response: Accepted, status: 202 },
  { method: "get", path: "/sessions/{id}/findings", summary: "A review's merged findings so far, each with the code lines it points at", response: ReviewFindings },
  { method: "get", path: "/sessions/{id}/review.sarif", summary: "A review's findings as SARIF 2.1.0", response: z.record(z.string(), z.unknown()) },
  { method: "get", path: "/sessions/{id}/review.md", summary: "A review's findings as markdown (text/markdown)", response: z.string() },
  { method: "get", path: "/evals", summary: "Evaluations in the evaluation store, newest first, with their run and pass counts", response: z.object({ evals: z.array(z.record(z.string(), z.unknown())) }) },
  {
    method: "get",
    path: "/evals/{id}",
    summary: "One evaluation: per model the pass rate with its 95% interval, pass@k and cost; the report's SVG plots; ratings; runs",
    response: z.record(z.string(), z.unknown()),
  },
  { method: "get", path: "/server", summary: "The server's version and the folders sessions may use", response: ServerInfo },
  { method: "post", path: "/auth/session", summary: "Browser sign-in: the token once; sets an HttpOnly SameSite=Strict cookie", body: SignIn, response: Accepted },
  { method: "post", path: "/auth/signout", summary: "Browser sign-out: clears the cookie", response: Accepted },
  { method: "post", path: "/sessions/{id}/fork", summary: "A new, stopped session with the history up to event seq", body: ForkSession, response: z.object({ session: SessionSummary }), status: 201 },
  {
    method: "post",
    path: "/sessions/{id}/rewind",
    summary: "Rewind a stopped session to before a step: files from its checkpoint, the conversation as a fork, or both",
    body: RewindSession,
    response: RewindOutcome,
  },
];

let cached: Record<string, unknown> | undefined;

/** The OpenAPI 3.1 document, generated from the protocol's zod schemas. */
export function openApiDocument(version: string): Record<string, unknown> {
  if (cached) return cached;
  const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: "input", unrepresentable: "any" });
  const error = { description: "An error", content: { "application/json": { schema: schema(ErrorBody) } } };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    const content = route.stream ? { "text/event-stream": { schema: schema(route.response) } } : { "application/json": { schema: schema(route.response) } };
    paths[route.path] ??= {};
    paths[route.path]![route.method] = {
      summary: route.summary,
      ...(params.length ? { parameters: params } : {}),
      ...(route.body ? { requestBody: { required: true, content: { "application/json": { schema: schema(route.body) } } } } : {}),
      responses: { [String(route.status ?? 200)]: { description: route.summary, content }, "400": error, "401": error, "404": error },
    };
  }
  cached = {
    openapi: "3.1.0",
    info: { title: "colleague", version, description: "Sessions, steering, approvals and event streams of colleague agents." },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    security: [{ bearer: [] }],
    paths,
  };
  return cached;
}
