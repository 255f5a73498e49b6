/** Slash commands typed in the TUI's input box. */
export const SLASH_HELP = [
  "enter: send (while working: steer — joins the running turn; !text: urgent, cuts the stream)",
  "tab: queue (delivered after the current task ends)",
  "esc: interrupt (stops the model and kills running tools)",
  "↑ / ↓: input history · ctrl-c: interrupt, then exit",
  "/effort low|medium|high|max|auto   change effort (mid-run: from the next request)",
  "/model ID        model for the next message (e.g. anthropic:claude-opus-4-6)",
  "/cost            tokens and cost of this session",
  "/compact         compact the history now (while working: before the next request)",
  "/sessions        recent sessions",
  "/resume ID       continue a stored session with your next message",
  "/thinking        show thinking in full or collapsed",
  "/new             start a new session with the next message",
  "/help            this list",
  "/exit            leave",
];

export type SlashCommand =
  | { name: "effort"; arg: string }
  | { name: "model"; arg: string }
  | { name: "resume"; arg: string }
  | { name: "cost" | "sessions" | "help" | "exit" | "thinking" | "new" | "compact" }
  | { name: "unknown"; text: string };

export function parseSlash(text: string): SlashCommand {
  const [head = "", ...rest] = text.trim().slice(1).split(/\s+/);
  const arg = rest.join(" ");
  switch (head) {
    case "effort":
    case "model":
    case "resume":
      return { name: head, arg };
    case "cost":
    case "compact":
    case "sessions":
    case "help":
    case "thinking":
    case "new":
      return { name: head };
    case "exit":
    case "quit":
      return { name: "exit" };
    default:
      return { name: "unknown", text };
  }
}
