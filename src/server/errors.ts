/** A request the server refuses: an HTTP status, a stable code for clients, and one readable line. */
export class ProtocolError extends Error {
  override name = "ProtocolError";
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 500,
    readonly code: "bad_request" | "unauthorized" | "forbidden" | "not_found" | "conflict" | "too_large" | "internal",
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ProtocolError(404, "not_found", what);
export const badRequest = (why: string) => new ProtocolError(400, "bad_request", why);
