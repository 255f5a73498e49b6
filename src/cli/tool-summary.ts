import type { UserPart } from "../model/types.js";

/**
 * How a tool call and its result read to a person, in one line each. `run`, `team` and the
 * terminal UI all print tool calls, and a person switching between them should see the same
 * words for the same call, so the wording lives here, once.
 */

/** The argument worth showing for a call: the path, pattern or command. */
export function callSummary(name: string, args: unknown): string {
  const a = (typeof args === "object" && args !== null ? args : {}) as Record<string, unknown>;
  const pick = a.command ?? a.path ?? a.pattern ?? a.patch;
  let text = typeof pick === "string" ? pick : JSON.stringify(a);
  if (name === "apply_patch" && typeof a.patch === "string") {
    text = [...a.patch.matchAll(/^\*\*\* (?:Add|Update|Delete) File: (.+)$/gm)].map((m) => m[1]).join(", ");
  }
  if (name === "grep" && typeof a.path === "string") text = `${String(a.pattern)} in ${a.path}`;
  if (name === "task" && typeof a.subagent_type === "string") text = `${a.subagent_type}: ${String(a.description ?? "")}`;
  if (name === "skill" && typeof a.name === "string") text = typeof a.file === "string" ? `${a.name} ${a.file}` : a.name;
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > 100 ? `${oneLine.slice(0, 99)}…` : oneLine;
}

/** What a tool returned, as text (images as a marker): what "show the whole output" prints. */
export function toolOutputText(content: readonly UserPart[]): string {
  return content.map((p) => (p.type === "text" ? p.text : `[image ${p.mediaType}]`)).join("\n");
}

/**
 * One line for a tool's outcome: a command's exit status with its test summary or last output
 * line; otherwise the first line (for a failure, the line that names the error), with how many
 * more lines there are. `width` clips the chosen line, never the count.
 */
export function toolGist(result: { content: readonly UserPart[]; isError: boolean }, width = 90): string {
  const lines = toolOutputText(result.content)
    .split("\n")
    .filter((l) => l.trim());
  const clip = (line: string) => (line.length > width ? `${line.slice(0, width - 1)}…` : line);
  const status = lines.at(-1)?.match(/^\[(exit code \d+|killed.*|aborted)/);
  if (status && lines.length > 1) {
    // A test summary ("# fail 1", "Tests: 2 passed") says more than the last line of output.
    const output = lines.slice(0, -1);
    const word = result.isError ? "fail" : "pass";
    const summary = output.findLast((l) => new RegExp(`\\b(\\d+ ${word}(ed)?|${word}(ed)?:?\\s+\\d+)\\b`, "i").test(l)) ?? output.at(-1)!;
    return `${status[1]!.split(",")[0]} · ${clip(summary.trim())}`;
  }
  const pick = result.isError ? (lines.find((l) => /error|fail|not found|invalid|outside|denied|not allowed|exit code|skipped|aborted/i.test(l)) ?? lines[0]) : lines[0];
  const more = lines.length > 1 ? ` (+${lines.length - 1} lines)` : "";
  return clip((pick ?? "").trim()) + more;
}
