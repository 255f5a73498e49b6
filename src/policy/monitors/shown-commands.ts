/**
 * The commands a tool result shows being run: the lines of a terminal transcript that follow a
 * shell prompt (`$ `, `user@host:~# `, `PS C:\> `, `C:\> `). A log of an attack under way reads as
 * ordinary output (a table of hosts, a progress line, "Succeeded"); what was done, and to whom, is
 * in the commands, and the monitors judge those as they judge the agent's own tool calls.
 */

// A prompt at the start of a line, then the command. `# ` alone is left out: it starts comments and
// Markdown headings far more often than a root prompt; `user@host:~# ` is kept.
const PROMPT_LINE =
  /^[ \t]*(?:(?:\([\w.-]+\)[ \t]*)?[\w.-]+@[\w.-]+(?::[^\n$#]{0,200})?[$#]|\$|PS(?: [A-Za-z]:[^>\n]{0,200})?>|[A-Za-z]:\\[^>\n]{0,200}>)[ \t]+(\S[^\n]*)$/gm;

/** At most this many commands, and characters of them, are judged: a long transcript's first ones. */
const MAX_COMMANDS = 40;
const MAX_CHARS = 6_000;

/** The shown commands, one per line ("" when the text shows none). */
export function shownCommands(text: string): string {
  if (!text.includes("$ ") && !text.includes("# ") && !text.includes("> ")) return "";
  const commands: string[] = [];
  let chars = 0;
  for (const match of text.matchAll(PROMPT_LINE)) {
    const command = match[1]!.trim();
    commands.push(command);
    chars += command.length + 1;
    if (commands.length >= MAX_COMMANDS || chars >= MAX_CHARS) break;
  }
  return commands.join("\n").slice(0, MAX_CHARS);
}
