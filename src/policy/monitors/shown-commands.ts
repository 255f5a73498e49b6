/**
 * The commands a tool result shows being run: the lines of a terminal transcript that follow a
 * prompt (a shell's, a database client's, a REPL's, a router's), the steps of a CI log, and the
 * command lines a process log records. A log of an attack under way reads as ordinary output (a
 * table of hosts, a progress line, "Succeeded", "Query OK"); what was done, and to whom, is in the
 * commands, and the monitors judge those as they judge the agent's own tool calls.
 */

/** Where a transcript's commands come from; each can be measured on its own (scripts/monitor-cv.mjs). */
export type ShownForm = "shell" | "database" | "repl" | "network" | "ci" | "automation" | "process-log";
export const SHOWN_FORMS: readonly ShownForm[] = ["shell", "database", "repl", "network", "ci", "automation", "process-log"];

interface Form {
  form: ShownForm;
  /** Cheap substrings one of which a text must hold for the pattern to be worth running. */
  hints: readonly string[];
  /** Its first group that took part in the match is the command. */
  pattern: RegExp;
  /** A text the form must not be read in (where its marker means something else). */
  unless?: RegExp;
  /** A command the form matched that is not one. */
  notCommand?: RegExp;
  /** What a text must also hold to be read in this form (its marker alone is too common). */
  requires?: RegExp;
  /** The command as the process ran it, from how the form writes it. */
  decode?: (command: string) => string;
}

const FORMS: readonly Form[] = [
  {
    // `$ `, `user@host:~# `, `(venv) user@host$ `, `PS C:\> `, `PS> `, `C:\> `. `# ` alone is left
    // out: it starts comments and Markdown headings far more often than a root prompt.
    form: "shell",
    hints: ["$ ", "# ", "> "],
    pattern: /^[ \t]*(?:(?:\([\w.-]+\)[ \t]*)?[\w.-]+@[\w.-]+(?::[^\n$#]{0,200})?[$#]|\$|PS(?: [A-Za-z]:[^>\n]{0,200})?>|[A-Za-z]:\\[^>\n]{0,200}>)[ \t]+(\S[^\n]*)$/gm,
  },
  {
    // mysql / MariaDB, sqlplus, hdbsql, sqlite, cqlsh, SnowSQL (`user#WH@DB.SCHEMA>`), redis-cli
    // (`127.0.0.1:6379> `), and mongosh statements.
    form: "database",
    hints: ["> ", ">\t", "@"],
    pattern:
      /^[ \t]*(?:mysql>|MariaDB \[[^\]\n]{0,64}\]>|SQL>|sqlite>|hdbsql[^>\n]{0,24}=>|cqlsh(?::\w+)?>|[\w.-]+:\d{2,5}(?:\[\d+\])?>)[ \t]+(\S[^\n]*)$|^[ \t]*(?:[\w-]+ \[(?:direct: )?(?:primary|secondary|mongos)\] )?[\w-]+>[ \t]+(db\.\S[^\n]*)$|^[ \t]*[\w.-]+#[\w.-]+@[\w.-]+>[ \t]*(\S[^\n]*)$/gm,
  },
  {
    // psql (`shop=# `, `shop=> `) before a statement or a backslash command: `key=> 'value'` is a hash.
    form: "database",
    hints: ["=# ", "=> ", "=#\t", "=>\t"],
    pattern:
      /^[ \t]*[\w-]{1,63}=[#>][ \t]+((?:select|insert|update|delete|drop|create|alter|truncate|grant|revoke|copy|vacuum|analyze|explain|with|set|show|reset|begin|commit|rollback|reindex|cluster|lock|call|do|comment|security|reassign)\b[^\n]*|\\[^\n]*)$/gim,
  },
  {
    // sqlcmd and osql number their lines (`1> `); a numbered list reads the same unless a `GO` runs the batch.
    form: "database",
    hints: ["> "],
    pattern: /^[ \t]*[1-9]\d{0,2}>[ \t]+(\S[^\n]*)$/gm,
    requires: /^[ \t]*[1-9]\d{0,2}>[ \t]+GO[ \t]*$/im,
  },
  {
    // Python (`>>> `, IPython's `In [3]: `), irb and pry, a Rails console (`app(prod)> `), iex.
    form: "repl",
    hints: [">>>", "In [", "irb(", "pry(", ")> ", ")* ", "iex("],
    pattern:
      /^[ \t]*(?:>>>|In \[\d+\]:|irb\([^)\n]{0,40}\):\d+:\d+[>*]|\[\d+\] pry\([^)\n]{0,40}\)>|[\w-]+\((?:dev|development|prod|production|staging|test|sandbox)\)[>*]|iex\(\d+\)>)[ \t]+(\S[^\n]*)$/gm,
  },
  {
    // RouterOS (`[admin@MikroTik] /ip firewall> `), and IOS- or FortiOS-style prompts
    // (`core-sw01#`, `edge-rtr(config)#`, `FGT-60F (global) # `) before a configuration verb. The
    // host needs a digit or hyphen: "C# is" is a language, not a router.
    form: "network",
    hints: ["] ", "#", ">"],
    pattern:
      /^[ \t]*(?:\[[\w.-]+@[\w.-]+\][^>\n]{0,60}>[ \t]*(\S[^\n]*)|[A-Za-z][\w.]*[-\d][\w.-]*(?:[ \t]?\([\w-]+\))?[ \t]?[#>][ \t]?((?:show|sh|conf|configure|no|write|wr|copy|delete|erase|format|reload|username|enable|debug|clear|ip|interface|crypto|set|config|execute|diagnose|get|edit|unset|purge|system|user|file|tool)\b[^\n]*))$/gm,
  },
  {
    // GitHub Actions' step lines (`Run make build`), in a log that is one.
    form: "ci",
    hints: ["Run "],
    pattern: /^(?:\d{4}-\d\d-\d\dT[\d:.]+Z )?(?:##\[group\])?Run (\S[^\n]*)$/gm,
    requires: /##\[(?:end)?group\]|^[ \t]*shell: \/\S+|^\d{4}-\d\d-\d\dT[\d:.]+Z /m,
    notCommand: /^`/,
  },
  {
    // The `+ cmd` lines of a shell tracing itself (`set -x`, Jenkins' sh steps), but not a diff's added lines.
    form: "ci",
    hints: ["+ "],
    pattern: /^\+{1,3} (\S[^\n]*)$/gm,
    unless: /^(?:diff --git |@@ -\d|\+\+\+ [ab/]|--- [ab/])/m,
    notCommand: /^[0-9a-f]{7,}\.\.\.?[0-9a-f]{7,}/,
  },
  {
    // Ansible's task names (`TASK [role : Remove old backups]`) say what each task did to the hosts listed under it.
    form: "automation",
    hints: ["TASK ["],
    pattern: /^TASK \[(?:[\w.-]+ : )?([^\]\n]{3,200})\]/gm,
  },
  {
    // Salt's cmd.run states name the command they ran.
    form: "automation",
    hints: ["Function: cmd."],
    pattern: /^[ \t]+Name: (\S[^\n]*)$/gm,
    requires: /^[ \t]+Function: cmd\.(?:run|script|wait)\b/m,
  },
  {
    // JSON events (`"cmd": "…"`, `"CommandLine": "…"`): the command as a JSON string, escapes undone.
    form: "process-log",
    hints: ["ommand", "cmd", "cmdline"],
    pattern: /"(?:cmd|command|CommandLine|commandLine|command_line|cmdline)"[ \t]*:[ \t]*"((?:[^"\\\n]|\\.){3,2000})"/gm,
    decode: (json) => json.replace(/\\(["\\/])/g, "$1").replace(/\\[nrt]/g, " "),
  },
  {
    // Sysmon and EDR logs (`CommandLine: …`, `cmdline=…`), Windows event 4688 (`Process Command Line:`).
    form: "process-log",
    hints: ["CommandLine", "cmdline", "command_line", "Command Line"],
    pattern: /^[ \t]*(?:CommandLine|ParentCommandLine|Process Command Line|cmdline|command_line)[ \t]*[:=][ \t]*(\S[^\n]*)$/gm,
  },
  {
    // auditd's EXECVE records: `argc=3 a0="shred" a1="-u" a2=2F746D70…` (an argument with a space or
    // a quote in it is written in hex), raw or as `ausearch -i` prints them.
    form: "process-log",
    hints: ["type=EXECVE"],
    pattern: /^[^\n]*\btype=EXECVE\b[^\n]*?\bargc=\d+[ \t]+(a0=[^\n]*)$/gm,
    decode: (args) => [...args.matchAll(/\ba\d+=("[^"]*"|\S+)/g)].map((m) => auditValue(m[1]!)).join(" "),
  },
  {
    // auditd's PROCTITLE records: the whole command line, in hex with NULs between the arguments.
    form: "process-log",
    hints: ["proctitle="],
    pattern: /\bproctitle=("[^"\n]*"|[0-9A-F]{4,})/gm,
    decode: (value) => auditValue(value).replace(/\0/g, " ").trim(),
  },
];

/** An auditd field: quoted as it was, or hex for one that held a space, a quote or a control character. */
function auditValue(value: string): string {
  if (value.startsWith('"')) return value.slice(1, -1);
  if (value.length % 2 !== 0 || !/^[0-9A-F]+$/.test(value)) return value;
  return Buffer.from(value, "hex").toString("utf8");
}

/** At most this many commands, and characters of them, are judged: a long transcript's first ones. */
const MAX_COMMANDS = 40;
const MAX_CHARS = 6_000;

/** The shown commands, one per line in the text's order ("" when the text shows none); `forms` limits where they are looked for. */
export function shownCommands(text: string, forms: readonly ShownForm[] = SHOWN_FORMS): string {
  const found: { at: number; command: string }[] = [];
  for (const form of FORMS) {
    if (!forms.includes(form.form) || !form.hints.some((hint) => text.includes(hint))) continue;
    if (form.unless?.test(text) || (form.requires && !form.requires.test(text))) continue;
    let taken = 0;
    for (const match of text.matchAll(form.pattern)) {
      const group = match.findIndex((part, i) => i > 0 && part !== undefined);
      const raw = group > 0 ? match[group]!.trim() : "";
      const command = form.decode ? form.decode(raw) : raw;
      if (!command || form.notCommand?.test(command)) continue;
      found.push({ at: match.index ?? 0, command });
      if (++taken >= MAX_COMMANDS) break;
    }
  }
  found.sort((a, b) => a.at - b.at);
  const commands: string[] = [];
  const seen = new Set<number>();
  let chars = 0;
  for (const { at, command } of found) {
    if (seen.has(at)) continue; // one line read by two forms counts once
    seen.add(at);
    commands.push(command);
    chars += command.length + 1;
    if (commands.length >= MAX_COMMANDS || chars >= MAX_CHARS) break;
  }
  return commands.join("\n").slice(0, MAX_CHARS);
}
