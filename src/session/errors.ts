/** The session asked for does not exist, or cannot be continued as asked. */
export class SessionNotFound extends Error {
  override name = "SessionNotFound";
}

/** The session runs in another process (or elsewhere in this one): one line says who holds it. */
export class SessionBusy extends Error {
  override name = "SessionBusy";
}
