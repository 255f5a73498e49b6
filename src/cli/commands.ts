/**
 * Every command's flags and help, in one light module: `main.ts` answers `--help`, did-you-mean
 * and shell completion from it without loading a command, and each command parses its argv
 * with the same flags, so the help cannot forget a flag the command takes.
 */

export interface FlagSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** The value's placeholder in the help (`--model ID`). */
  value?: string;
  help: string;
  /** Values offered by shell completion. */
  choices?: readonly string[];
}

export interface CommandSpec {
  summary: string;
  usage: string;
  flags: Record<string, FlagSpec>;
  /** Words offered by shell completion for the first positional (subcommands, shells). */
  words?: readonly string[];
  /** Extra lines printed after the flags. */
  notes?: string;
}

const EFFORTS = ["low", "medium", "high", "max", "auto"] as const;

const model = { type: "string", short: "m", value: "ID", help: "model id, e.g. anthropic:claude-opus-4-6 (see `colleague models`)" } as const;
const effort = { type: "string", short: "e", value: "LEVEL", help: "reasoning effort: low, medium, high, max or auto", choices: EFFORTS } as const;
const maxSteps = { type: "string", value: "N", help: "stop after N model steps (default 10000; budgets are the real cap)" } as const;
const budgetUsd = { type: "string", value: "USD", help: "stop once the session has cost this much" } as const;
const budgetTokens = { type: "string", value: "N", help: "stop once the session has used this many tokens" } as const;
const cwd = { type: "string", short: "C", value: "DIR", help: "the workspace folder (default: the current folder)" } as const;
const json = { type: "boolean", help: "one JSON event per line on stdout (same as --output-format stream-json)" } as const;
const outputFormat = {
  type: "string",
  value: "FORMAT",
  help: "text: only the answer on stdout, progress on stderr; json: one result object; stream-json: events as JSON lines",
  choices: ["text", "json", "stream-json"],
} as const;
const name = { type: "string", value: "NAME", help: "name the session (show / resume accept the name)" } as const;
const stdin = { type: "boolean", help: "read steer / queue / interrupt / effort commands as JSON lines on stdin" } as const;

/** The guard flags of every command that runs an agent (run, resume, team, review, the TUI). */
export const POLICY_FLAGS = {
  "permission-mode": {
    type: "string",
    value: "MODE",
    help: "read-only, ask, auto-edit or full-auto (default ask)",
    choices: ["read-only", "ask", "auto-edit", "full-auto"],
  },
  sandbox: { type: "string", value: "on|off", help: "run shell commands in the sandbox (default on)", choices: ["on", "off"] },
} as const satisfies Record<string, FlagSpec>;

/** Where queued sessions go (`run --queue`, `worker`): docs/scale-out.md. */
const QUEUE_FLAGS = {
  queue: { type: "string", value: "URL", help: "put the session on this Redis queue (redis://…; default $COLLEAGUE_QUEUE) for `colleague worker`" },
  "queue-name": { type: "string", value: "NAME", help: "the queue's name in Redis (default colleague-sessions)" },
} as const satisfies Record<string, FlagSpec>;

const store = { type: "string", value: "URL", help: "the session store: postgres://… or a SQLite file (default $COLLEAGUE_STORE, config `store`, ~/.colleague/sessions.db)" } as const;

const sessionFlags = {
  model,
  effort,
  "max-steps": maxSteps,
  "budget-usd": budgetUsd,
  "budget-tokens": budgetTokens,
} as const;

/** `colleague [flags] ["task"]`: the TUI on a terminal, one-shot (`-p`) everywhere. */
export const ROOT_FLAGS = {
  print: { type: "boolean", short: "p", help: "one-shot: run the task, print only the final answer on stdout, progress on stderr" },
  ...sessionFlags,
  cwd,
  "output-format": outputFormat,
  json,
  continue: { type: "boolean", short: "c", help: "continue the newest session of this folder (with -p: the task is the follow-up)" },
  last: { type: "boolean", help: "the same as --continue" },
  name,
  ...POLICY_FLAGS,
} as const satisfies Record<string, FlagSpec>;

export const COMMANDS = {
  run: {
    summary: "run one task to its end, streaming what the agent does",
    usage: 'colleague run "<task>" [flags]       (piped stdin is attached to the task)',
    flags: {
      ...sessionFlags,
      cwd,
      json,
      "output-format": outputFormat,
      stdin,
      name,
      image: { type: "string", multiple: true, value: "FILE", help: "attach an image (png, jpg, webp, gif; at most 5 MB) to the task (repeatable)" },
      ...POLICY_FLAGS,
      ...QUEUE_FLAGS,
      wait: { type: "boolean", help: "with --queue: wait for a worker to finish the session and print its answer" },
    },
  },
  resume: {
    summary: "continue a session from its last completed step",
    usage: 'colleague resume <session|name> ["follow-up"] [flags]    colleague resume --last ["follow-up"]',
    flags: {
      ...sessionFlags,
      last: { type: "boolean", help: "resume the newest session of this folder (or of --cwd)" },
      cwd: { ...cwd, help: "the folder whose newest session --last resumes" },
      json,
      "output-format": outputFormat,
      stdin,
      ...POLICY_FLAGS,
    },
  },
  team: {
    summary: "a lead and teammates share a task board and a mailbox",
    usage: 'colleague team "<task>" [flags]',
    flags: {
      size: { type: "string", short: "n", value: "N", help: "how many agents, the lead included" },
      lead: { type: "string", value: "MODEL", help: "the lead's model id" },
      teammate: { type: "string", multiple: true, value: "MODEL", help: "a teammate's model id (repeat for each)" },
      effort,
      "max-steps": { ...maxSteps, help: "stop each agent after N steps" },
      "budget-usd": { ...budgetUsd, help: "stop the team once it has cost this much" },
      "agent-budget-usd": { type: "string", value: "USD", help: "stop an agent once it has cost this much" },
      cwd,
      json,
      ...POLICY_FLAGS,
    },
  },
  review: {
    summary: "reviewers in parallel; findings merged into review.md and review.sarif",
    usage: "colleague review [path] [flags]",
    flags: {
      size: { type: "string", short: "n", value: "N", help: "how many reviewers" },
      focus: { type: "string", value: "LIST", help: "comma list of correctness, security, performance, tests" },
      teammate: { type: "string", multiple: true, value: "MODEL", help: "a reviewer's model id (repeat for each)" },
      model: { ...model, help: "every reviewer's model id" },
      out: { type: "string", short: "o", value: "DIR", help: "where review.md and review.sarif go" },
      "max-steps": { ...maxSteps, help: "stop each reviewer after N steps" },
      "budget-usd": budgetUsd,
      json,
      ...POLICY_FLAGS,
    },
  },
  sessions: {
    summary: "list sessions, newest first, grouped by folder",
    usage: "colleague sessions [flags]",
    flags: {
      limit: { type: "string", short: "n", value: "N", help: "how many sessions (default 20)" },
      here: { type: "boolean", help: "only the sessions of the current folder (or of --cwd)" },
      cwd: { ...cwd, help: "only the sessions of this folder" },
      json: { type: "boolean", help: "one JSON row per line" },
    },
  },
  show: {
    summary: "replay a session: messages, tool calls, answers",
    usage: "colleague show <session|name|prefix> [flags]",
    flags: {
      thinking: { type: "boolean", help: "include the model's thinking" },
      json: { type: "boolean", help: "the stored events as JSON lines" },
    },
  },
  rewind: {
    summary: "put a session's files and/or conversation back to before a step (checkpoints)",
    usage: "colleague rewind <session> [--to STEP] [--code|--conversation|--both]    colleague rewind <session> --list",
    flags: {
      to: { type: "string", value: "STEP", help: "the step to go back to (default: the newest step with a checkpoint)" },
      code: { type: "boolean", help: "only the workspace files" },
      conversation: { type: "boolean", help: "only the conversation (a fork of the session before the step)" },
      both: { type: "boolean", help: "files and conversation (the default)" },
      list: { type: "boolean", help: "list the steps that have a checkpoint" },
      json: { type: "boolean", help: "the result as JSON" },
    },
  },
  models: {
    summary: "the model catalog (and models added in config)",
    usage: "colleague models [flags]",
    flags: { json: { type: "boolean", help: "one JSON object per model" } },
  },
  audit: {
    summary: "check the audit log's hash chain",
    usage: "colleague audit verify [flags]",
    flags: { file: { type: "string", value: "FILE", help: "the audit log (default ~/.colleague/audit.jsonl)" }, json: { type: "boolean", help: "the result as JSON" } },
    words: ["verify"],
  },
  eval: {
    summary: "evaluate models on task suites (run, report, compare, export, list) and the safety monitors (safety)",
    usage: "colleague eval run <suite> --model MODEL [-k N] [--concurrency N] | report | compare | export | list | safety [flags]",
    flags: {
      set: { type: "string", value: "SET", help: "tune (everything ever tuned on), a set's name from redteam-sets.json, or a FILE of JSON lines" },
      judge: { type: "string", value: "MODEL", help: "a model id for the judge stage" },
      json: { type: "boolean", help: "the report as JSON" },
      verbose: { type: "boolean", short: "v", help: "list every miss and false positive" },
      agent: { type: "boolean", help: "run each item through a guarded session and report what the agent did (blocked, asked, withheld, warned)" },
    },
    words: ["safety", "run", "report", "compare", "export", "list"],
  },
  demo: {
    summary: "a scripted session on a sample repo: no keys, no network",
    usage: "colleague demo [flags]",
    flags: { fast: { type: "boolean", help: "no pauses between streamed chunks" }, json: { type: "boolean", help: "one JSON event per line" } },
  },
  doctor: {
    summary: "which sandbox backends work here, which one a session would use, and how to fix the others",
    usage: "colleague doctor [flags]",
    flags: { cwd: { ...cwd, help: "check for this workspace's config (default: the current folder)" }, json: { type: "boolean", help: "the report as JSON" } },
  },
  serve: {
    summary: "the protocol over HTTP + Server-Sent Events, for the dashboard, attach, editors and scripts",
    usage: "colleague serve [flags]",
    flags: {
      port: { type: "string", short: "p", value: "N", help: "the port (default 4317; 0 picks a free one)" },
      host: { type: "string", value: "HOST", help: "the address to bind (default 127.0.0.1)" },
      root: { type: "string", multiple: true, value: "DIR", help: "workspaces must lie under this folder (repeatable; default: the current folder)" },
      "new-token": { type: "boolean", help: "replace the bearer token (kept in the colleague home) and print the new one" },
      "approval-timeout": { type: "string", value: "S", help: "deny an approval nobody answers within S seconds (default 600)" },
      "cors-origin": { type: "string", multiple: true, value: "ORIGIN", help: "allow browser calls from this origin (repeatable; none by default)" },
      store,
    },
  },
  worker: {
    summary: "run queued sessions (`run --queue`) from Redis, storing them in a shared PostgreSQL store",
    usage: "colleague worker --queue redis://… --store postgres://… [flags]",
    flags: {
      ...QUEUE_FLAGS,
      queue: { ...QUEUE_FLAGS.queue, help: "the Redis queue to take sessions from (default $COLLEAGUE_QUEUE)" },
      store,
      concurrency: { type: "string", value: "N", help: "sessions this worker runs at once (default 1)" },
      "lock-seconds": { type: "string", value: "S", help: "a killed worker's session moves to another worker after S seconds (default 30)" },
      "requests-per-minute": { type: "string", value: "N", help: "per provider and key, shared by all workers on the queue (default: unlimited; a 429 always holds everyone)" },
    },
    notes: "See docs/scale-out.md; scripts/services.sh up starts Redis and PostgreSQL on 127.0.0.1 for a try.",
  },
  acp: {
    summary: "the Agent Client Protocol over stdio, for editors (Zed, JetBrains) and Harbor",
    usage: "colleague acp [flags]      (started by the editor; speaks JSON-RPC on stdin/stdout)",
    flags: { model, effort, "max-steps": maxSteps, "budget-usd": budgetUsd, ...POLICY_FLAGS },
  },
  mcp: {
    summary: "an MCP server (tools run_task, steer, session_status) for Claude Code, Codex and other MCP clients",
    usage: "colleague mcp [flags]              (stdio)    colleague mcp --http [--port N]\n       colleague mcp list [--cwd DIR] [--json]   (the MCP servers colleague itself uses here)",
    flags: {
      http: { type: "boolean", help: "streamable HTTP on 127.0.0.1 instead of stdio (bearer token as for serve)" },
      port: { type: "string", short: "p", value: "N", help: "with --http: the port (default 4318; 0 picks a free one)" },
      root: { type: "string", multiple: true, value: "DIR", help: "workspaces must lie under this folder (repeatable; default: the current folder)" },
      "permission-mode": {
        type: "string",
        value: "MODE",
        help: "the loosest mode a run may use, and the default (auto-edit); what needs approval is denied",
        choices: ["read-only", "ask", "auto-edit", "full-auto"],
      },
      "new-token": { type: "boolean", help: "with --http: replace the bearer token (kept in the colleague home) and print the new one" },
      cwd: { type: "string", value: "DIR", help: "with list: the workspace (default: the current folder)" },
      json: { type: "boolean", help: "with list: one JSON object per server" },
    },
    notes:
      "Claude Code:  claude mcp add colleague -- colleague mcp --root ~/code\n" +
      "Codex:        [mcp_servers.colleague] in ~/.codex/config.toml: command = \"colleague\", args = [\"mcp\"]",
  },
  attach: {
    summary: "the terminal UI on a session that runs in `colleague serve`",
    usage: "colleague attach <session> [flags]",
    flags: {
      server: { type: "string", value: "URL", help: "the server (default $COLLEAGUE_SERVER or http://127.0.0.1:4317)" },
      token: { type: "string", value: "TOKEN", help: "the bearer token (default $COLLEAGUE_SERVER_TOKEN, then the colleague home's server-token)" },
    },
  },
  trust: {
    summary: "list, add or remove the projects whose config may set provider endpoints, headers and keys",
    usage: "colleague trust [add|remove] [path]",
    flags: { json: { type: "boolean", help: "the trusted projects as JSON lines" } },
    words: ["add", "remove"],
  },
  completion: {
    summary: "print a shell completion script",
    usage: "colleague completion bash|zsh|fish",
    flags: {},
    words: ["bash", "zsh", "fish"],
    notes:
      "Install:  bash  colleague completion bash > ~/.local/share/bash-completion/completions/colleague\n" +
      "          zsh   colleague completion zsh > ~/.zfunc/_colleague   (with fpath+=(~/.zfunc) before compinit)\n" +
      "          fish  colleague completion fish > ~/.config/fish/completions/colleague.fish",
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;

export const isCommand = (word: string): word is CommandName => Object.hasOwn(COMMANDS, word);

/** Flag lines: `  -m, --model ID   model id …`, aligned. */
export function flagLines(flags: Record<string, FlagSpec>): string {
  const entries = Object.entries({ ...flags, help: { type: "boolean", short: "h", help: "show this help" } as FlagSpec });
  const left = entries.map(([long, f]) => `${f.short ? `-${f.short}, ` : "    "}--${long}${f.value ? ` ${f.value}` : ""}${f.multiple ? " …" : ""}`);
  const width = Math.max(...left.map((l) => l.length)) + 2;
  return entries.map(([, f], i) => `  ${left[i]!.padEnd(width)}${f.help}`).join("\n");
}

export function commandHelp(command: CommandName): string {
  const spec: CommandSpec = COMMANDS[command];
  const notes = spec.notes ? `\n${spec.notes}\n` : "";
  return `colleague ${command} — ${spec.summary}\n\nUsage: ${spec.usage}\n\nFlags:\n${flagLines(spec.flags)}\n${notes}`;
}

export function rootHelp(): string {
  const names = Object.keys(COMMANDS) as CommandName[];
  const width = Math.max(...names.map((n) => n.length)) + 2;
  const list = names.map((n) => `  ${n.padEnd(width)}${COMMANDS[n].summary}`).join("\n");
  return `colleague — an autonomous coding colleague, for any model

Usage:
  colleague [flags]                  the interactive terminal (TUI)
  colleague -p "<task>" [flags]      one-shot: only the final answer on stdout, progress on stderr
  colleague "<task>"                 the same when stdout or stdin is not a terminal
  cat log | colleague -p "explain"   piped input is attached to the task
  colleague <command> [flags]        (colleague <command> --help for its flags)

Commands:
${list}

Flags:
${flagLines(ROOT_FLAGS)}
  -v, --version                      print the version

Models: anthropic:claude-opus-4-6, openai:gpt-5.3-codex, compatible:MODEL@http://host:port/v1,
scripted:./scenario.json. Keys: ANTHROPIC_API_KEY, OPENAI_API_KEY. See the README.
Exit codes: 0 done, 1 failed, 2 usage or configuration error, 3 stopped by a limit, 130 interrupted.
`;
}
