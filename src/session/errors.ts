/** The session asked for does not exist, or cannot be continued as asked. */
export class SessionNotFound extends Error {
  override name = "SessionNotFound";
}
