/** Slash commands typed in the TUI's input box: one table feeds /help, the `/` menu and the parser. */
export interface SlashSpec {
  name: string;
  /** What follows the name, for the menu and /help ("" when it takes nothing). */
  args: string;
  help: string;
}

export const SLASH_COMMANDS: readonly SlashSpec[] = [
  { name: "help", args: "", help: "keys and commands" },
  { name: "init", args: "", help: "explore the repo and write AGENTS.md (a task for the agent)" },
  { name: "model", args: "ID", help: "switch model mid-session, across providers (e.g. openai:gpt-5.3-codex)" },
  { name: "effort", args: "LEVEL", help: "low|medium|high|max|auto (mid-run: from the next request)" },
  { name: "status", args: "", help: "session, model, workspace, guard, tokens" },
  { name: "permissions", args: "", help: "the permission mode, sandbox and rules in force" },
  { name: "diff", args: "", help: "workspace changes since this session started" },
  { name: "cost", args: "", help: "tokens and cost of this session" },
  { name: "compact", args: "", help: "compact the history now (while working: before the next request)" },
  { name: "clear", args: "", help: "clear the screen and start a new session" },
  { name: "new", args: "", help: "start a new session with the next message" },
  { name: "rename", args: "NAME", help: "name this session (shown by /status)" },
  { name: "sessions", args: "", help: "recent sessions" },
  { name: "resume", args: "ID", help: "continue a stored session with your next message" },
  { name: "undo", args: "", help: "put files and conversation back to before the newest step that changed files" },
  { name: "rewind", args: "[STEP [code|conversation]]", help: "pick a step that changed files and go back to before it (files, conversation or both)" },
  { name: "thinking", args: "", help: "show thinking in full or collapsed" },
  { name: "exit", args: "", help: "leave (prints the command that resumes)" },
];

export const KEY_HELP = [
  "enter: send (while working: steer — joins the running turn; !text: urgent, cuts the stream)",
  "tab: complete (/commands, @files, paths); while working: queue (delivered after the task ends)",
  "esc: interrupt (stops the model and kills running tools) · ctrl-c: interrupt, then exit",
  "alt-enter, ctrl-j or shift-enter: new line · a paste stays one message",
  "←/→ ctrl-b/f · alt-←/→ alt-b/f: word · home/end ctrl-a/e · ctrl-u/k: kill to start/end · ctrl-w: kill word",
  "↑ / ↓: input history · ctrl-o: show the whole output of any tool call",
  "@path attaches a file (images become image parts) · / opens the command menu",
];

export const SLASH_HELP = [...KEY_HELP, ...SLASH_COMMANDS.map((c) => `/${`${c.name} ${c.args}`.trim().padEnd(14)} ${c.help}`)];

type NoArg = "cost" | "sessions" | "help" | "exit" | "thinking" | "new" | "compact" | "init" | "clear" | "diff" | "status" | "permissions" | "undo";

export type SlashCommand =
  | { name: "effort" | "model" | "resume" | "rename" | "rewind"; arg: string }
  | { name: NoArg }
  | { name: "unknown"; text: string };

const NO_ARG = new Set<string>(["cost", "sessions", "help", "thinking", "new", "compact", "init", "clear", "diff", "status", "permissions", "undo"]);

export function parseSlash(text: string): SlashCommand {
  const [head = "", ...rest] = text.trim().slice(1).split(/\s+/);
  const arg = rest.join(" ");
  if (head === "effort" || head === "model" || head === "resume" || head === "rename" || head === "rewind") return { name: head, arg };
  if (NO_ARG.has(head)) return { name: head as NoArg };
  if (head === "exit" || head === "quit") return { name: "exit" };
  return { name: "unknown", text };
}

/**
 * The `/` menu: commands whose name starts with what was typed, then those that contain it.
 * `custom` are the workspace's own commands (files, MCP prompts), after the built-in ones.
 */
export function slashMatches(typed: string, custom: readonly SlashSpec[] = []): SlashSpec[] {
  const q = typed.toLowerCase();
  const all = [...SLASH_COMMANDS, ...custom.filter((c) => !SLASH_COMMANDS.some((b) => b.name === c.name))];
  const starts = all.filter((c) => c.name.toLowerCase().startsWith(q));
  return [...starts, ...all.filter((c) => !c.name.toLowerCase().startsWith(q) && c.name.toLowerCase().includes(q))];
}
