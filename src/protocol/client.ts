import type { AgentEvent } from "../agent/events.js";
import type { TaskSnapshot } from "../agent/team-events.js";
import type {
  AnswerApproval,
  CreateReview,
  CreateSession,
  CreateTeam,
  ModelChoice,
  PendingApproval,
  ReviewFindings,
  RewindOutcome,
  RewindSession,
  SendMessage,
  ServerInfo,
  SessionDetail,
  SessionListQuery,
  SessionSummary,
} from "./schemas.js";

/**
 * The typed client of `colleague serve` (import from "colleague/client"): the same protocol the
 * dashboard, `attach` and editors use. Errors from the server throw ClientError with the
 * server's code and message.
 */
export class ClientError extends Error {
  override name = "ClientError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ClientOptions {
  /** e.g. "http://127.0.0.1:4317" */
  url: string;
  /** The bearer token; a signed-in browser (the dashboard) leaves it out and sends its cookie. */
  token?: string;
  fetch?: typeof fetch;
  /** Headers sent with every request (the dashboard sends its CSRF header). */
  headers?: Record<string, string>;
}

export interface FollowOptions {
  /** Start after this seq (0: from the beginning). */
  since?: number;
  signal?: AbortSignal;
  /** Stop after the event for which this returns true (default: the session's end). */
  until?: (event: AgentEvent) => boolean;
  /** Reconnect with Last-Event-ID when the stream drops (default true). */
  reconnect?: boolean;
}

export class ColleagueClient {
  private readonly base: string;
  private readonly fetcher: typeof fetch;

  constructor(private readonly options: ClientOptions) {
    this.base = options.url.replace(/\/+$/, "");
    // A browser's fetch throws "Illegal invocation" when called as a method of another object.
    this.fetcher = options.fetch ?? ((input, init) => fetch(input, init));
  }

  createSession(request: CreateSession): Promise<SessionSummary> {
    return this.call<{ session: SessionSummary }>("POST", "/sessions", request).then((r) => r.session);
  }

  createTeam(request: CreateTeam): Promise<SessionSummary> {
    return this.call<{ session: SessionSummary }>("POST", "/teams", request).then((r) => r.session);
  }

  createReview(request: CreateReview): Promise<SessionSummary> {
    return this.call<{ session: SessionSummary }>("POST", "/reviews", request).then((r) => r.session);
  }

  board(id: string): Promise<TaskSnapshot[]> {
    return this.call<{ tasks: TaskSnapshot[] }>("GET", `/sessions/${encodeURIComponent(id)}/board`).then((r) => r.tasks);
  }

  /** A message to one agent of a running team (the lead or a teammate), at its next step. */
  async messageAgent(id: string, agentId: string, text: string): Promise<void> {
    await this.call("POST", `/sessions/${encodeURIComponent(id)}/agents/${encodeURIComponent(agentId)}/messages`, { text });
  }

  /** A page of sessions, newest first, with search and a status filter; `total` counts every match. */
  pageSessions(query: SessionListQuery = {}): Promise<{ sessions: SessionSummary[]; total: number }> {
    const params = new URLSearchParams();
    params.set("limit", String(query.limit ?? 50));
    params.set("offset", String(query.offset ?? 0));
    if (query.q) params.set("q", query.q);
    if (query.status) params.set("status", query.status);
    return this.call<{ sessions: SessionSummary[]; total?: number }>("GET", `/sessions?${params}`).then((r) => ({ sessions: r.sessions, total: r.total ?? r.sessions.length }));
  }

  serverInfo(): Promise<ServerInfo> {
    return this.call("GET", "/server");
  }

  /** A review's merged findings so far, each with the code lines it points at. */
  reviewFindings(id: string): Promise<ReviewFindings["findings"]> {
    return this.call<ReviewFindings>("GET", `/sessions/${encodeURIComponent(id)}/findings`).then((r) => r.findings);
  }

  /** A review's findings so far as SARIF (JSON text) or markdown. */
  async reviewReport(id: string, format: "sarif" | "md"): Promise<string> {
    const response = await this.fetcher(`${this.base}/sessions/${encodeURIComponent(id)}/review.${format}`, { headers: this.headers() });
    if (!response.ok) throw await errorOf(response);
    return response.text();
  }

  /** Browser sign-in: sends the token once; the server answers with an HttpOnly cookie. */
  async signIn(token: string): Promise<void> {
    await this.call("POST", "/auth/session", { token });
  }

  async signOut(): Promise<void> {
    await this.call("POST", "/auth/signout");
  }

  listSessions(limit?: number): Promise<SessionSummary[]> {
    return this.call<{ sessions: SessionSummary[] }>("GET", `/sessions${limit ? `?limit=${limit}` : ""}`).then((r) => r.sessions);
  }

  getSession(id: string): Promise<SessionDetail> {
    return this.call("GET", `/sessions/${encodeURIComponent(id)}`);
  }

  /** Steer (default) or queue into a running session; continues a stopped one. */
  async send(id: string, message: SendMessage): Promise<void> {
    await this.call("POST", `/sessions/${encodeURIComponent(id)}/messages`, message);
  }

  steer(id: string, text: string, urgent = false): Promise<void> {
    return this.send(id, { text, mode: "steer", ...(urgent ? { urgent } : {}) });
  }

  queue(id: string, text: string): Promise<void> {
    return this.send(id, { text, mode: "queue" });
  }

  async interrupt(id: string): Promise<void> {
    await this.call("POST", `/sessions/${encodeURIComponent(id)}/interrupt`);
  }

  async setEffort(id: string, effort: "low" | "medium" | "high" | "max" | "auto"): Promise<void> {
    await this.call("POST", `/sessions/${encodeURIComponent(id)}/effort`, { effort });
  }

  /** Switches a session's model from its next step; resolves `running: false` when it will apply at the next message. */
  setModel(id: string, model: string): Promise<{ running: boolean }> {
    return this.call<{ running: boolean }>("POST", `/sessions/${encodeURIComponent(id)}/model`, { model }).then((r) => ({ running: r.running }));
  }

  models(): Promise<ModelChoice[]> {
    return this.call<{ models: ModelChoice[] }>("GET", "/models").then((r) => r.models);
  }

  async compact(id: string): Promise<void> {
    await this.call("POST", `/sessions/${encodeURIComponent(id)}/compact`);
  }

  approvals(id: string): Promise<PendingApproval[]> {
    return this.call<{ approvals: PendingApproval[] }>("GET", `/sessions/${encodeURIComponent(id)}/approvals`).then((r) => r.approvals);
  }

  async answer(id: string, callId: string, answer: AnswerApproval): Promise<void> {
    await this.call("POST", `/sessions/${encodeURIComponent(id)}/approvals/${encodeURIComponent(callId)}`, answer);
  }

  fork(id: string, seq: number): Promise<SessionSummary> {
    return this.call<{ session: SessionSummary }>("POST", `/sessions/${encodeURIComponent(id)}/fork`, { seq }).then((r) => r.session);
  }

  /** Rewinds a stopped session to before step `to`: its files, its conversation (a new session), or both. */
  rewind(id: string, request: RewindSession = {}): Promise<RewindOutcome> {
    return this.call<RewindOutcome>("POST", `/sessions/${encodeURIComponent(id)}/rewind`, request);
  }

  /**
   * A session's events, from the log and then live, until `until` holds (default: its
   * session_finished). A dropped connection is resumed with Last-Event-ID: nothing durable is
   * missed or repeated.
   */
  async *events(id: string, options: FollowOptions = {}): AsyncGenerator<AgentEvent> {
    // A solo session ends with its main agent's session_finished, a team with the team's.
    const until = options.until ?? ((e: AgentEvent) => e.type === "session_finished" && (e.agentId === "main" || e.agentId === "team"));
    let last = options.since ?? 0;
    for (;;) {
      let dropped = false;
      try {
        for await (const frame of this.stream(id, last, options.signal)) {
          if (frame.id !== undefined) last = frame.id;
          yield frame.event;
          if (until(frame.event)) return;
        }
        dropped = true;
      } catch (error) {
        if (options.signal?.aborted || error instanceof ClientError) throw error;
        dropped = true;
      }
      if (!dropped || options.reconnect === false) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** One connection's frames (low level: no reconnect). */
  async *stream(id: string, since: number, signal?: AbortSignal): AsyncGenerator<{ id?: number; event: AgentEvent }> {
    const response = await this.fetcher(`${this.base}/sessions/${encodeURIComponent(id)}/events`, {
      headers: this.headers({ accept: "text/event-stream", "last-event-id": String(since) }),
      ...(signal ? { signal } : {}),
    });
    if (!response.ok || !response.body) throw await errorOf(response);
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const parsed = parseFrame(frame);
        if (parsed) yield parsed;
      }
    }
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...this.options.headers, ...(this.options.token !== undefined ? { authorization: `Bearer ${this.options.token}` } : {}), ...extra };
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.fetcher(`${this.base}${path}`, {
      method,
      headers: this.headers(body !== undefined ? { "content-type": "application/json" } : {}),
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) throw await errorOf(response);
    return (await response.json()) as T;
  }
}

function parseFrame(frame: string): { id?: number; event: AgentEvent } | undefined {
  let id: number | undefined;
  const data: string[] = [];
  for (const line of frame.split("\n")) {
    if (line.startsWith(":")) continue; // a comment (keep-alive)
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "id") id = Number(value);
    else if (field === "data") data.push(value);
  }
  if (!data.length) return undefined;
  return { ...(id !== undefined && Number.isFinite(id) ? { id } : {}), event: JSON.parse(data.join("\n")) as AgentEvent };
}

async function errorOf(response: Response): Promise<ClientError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    return new ClientError(response.status, body.error?.code ?? "error", body.error?.message ?? response.statusText);
  } catch {
    return new ClientError(response.status, "error", response.statusText);
  }
}
