/** A session's status as a badge: a word and a dot (never colour alone). */
export function Status({ status, live }: { status: string; live?: boolean }) {
  const tone = status === "running" ? "run" : status === "completed" ? "ok" : status === "error" || status === "refused" ? "bad" : "warn";
  return (
    <span className={`badge ${tone}`}>
      <span className={`dot${live && status === "running" ? " pulse" : ""}`} aria-hidden="true" />
      {status.replace("_", " ")}
    </span>
  );
}
