import { ConfigError } from "../model/resolve.js";
import { SessionNotFound } from "../session/errors.js";
import { EXIT, UsageError } from "./errors.js";
import { version } from "./version.js";

const HELP = `colleague — an autonomous coding colleague, for any model

Usage:
  colleague [--model ID] [--effort …] [--cwd DIR]   # interactive terminal (TUI)
  colleague run "<task>" [--model ID] [--effort low|medium|high|max|auto] [--max-steps N]
                         [--budget-usd N] [--budget-tokens N] [--cwd DIR] [--json] [--stdin]
                         [--permission-mode read-only|ask|auto-edit|full-auto] [--sandbox on|off]
  colleague resume <session> ["follow-up"] [--model ID] [--max-steps N] [--json] [--stdin]
  colleague team "<task>" [--size N] [--lead MODEL] [--teammate MODEL …] [--budget-usd N]
                          [--agent-budget-usd N] [--max-steps N] [--cwd DIR] [--json]
  colleague review [path] [--size N] [--focus correctness,security,performance,tests]
                          [--teammate MODEL …] [--out DIR] [--json]
  colleague sessions [--limit N] [--json]
  colleague show <session> [--json]
  colleague models [--json]
  colleague audit verify [--file F] [--json]
  colleague eval safety [--set tune|NAME|FILE] [--judge MODEL] [--verbose] [--json]
  colleague demo [--fast] [--json]
  colleague --version

Models: anthropic:claude-opus-4-6, openai:gpt-5.3-codex, compatible:MODEL@http://host:port/v1,
scripted:./scenario.json. Keys: ANTHROPIC_API_KEY, OPENAI_API_KEY. See the README.
Exit codes: 0 done, 1 failed, 2 usage or configuration error, 3 stopped by a limit, 130 interrupted.
`;

type Command = (argv: string[]) => number | Promise<number>;

// Each command loads on demand, so `--version` and `help` start in a few milliseconds.
const commands: Record<string, () => Promise<Command>> = {
  run: async () => (await import("./run.js")).runCommand,
  resume: async () => (await import("./resume.js")).resumeCommand,
  sessions: async () => (await import("./sessions.js")).sessionsCommand,
  show: async () => (await import("./sessions.js")).showCommand,
  models: async () => (await import("./models.js")).modelsCommand,
  demo: async () => (await import("./demo.js")).demoCommand,
  // Safety (issue 6): the audit log check and the monitors' red-team evaluation.
  audit: async () => (await import("./audit.js")).auditCommand,
  eval: async () => (await import("./eval-safety.js")).evalCommand,
  // Agent teams (src/team/).
  team: async () => (await import("./team.js")).teamCommand,
  review: async () => (await import("./review.js")).reviewCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "--version" || name === "-v" || name === "version") {
    process.stdout.write(`colleague ${version()}\n`);
    return EXIT.ok;
  }
  if (name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  // issue 3: no command (or only flags) opens the interactive terminal, loaded lazily so the
  // other commands never pay for Ink and React. Without a terminal there is nothing to open.
  if (name === undefined || name.startsWith("-")) {
    if (!process.stdin.isTTY || !process.stdout.isTTY) {
      process.stdout.write(HELP);
      return EXIT.ok;
    }
    return (await import("../tui/index.js")).openTui(argv);
  }
  const load = commands[name];
  if (!load) throw new UsageError(`unknown command "${name}" (commands: ${Object.keys(commands).join(", ")}; see \`colleague help\`)`);
  return (await load())(rest);
}

/** Expected failures print one line; anything else is a bug and prints its stack. */
function report(error: unknown): number {
  if (error instanceof UsageError || error instanceof ConfigError || error instanceof SessionNotFound) {
    process.stderr.write(`colleague: ${error.message}\n`);
    return EXIT.usage;
  }
  process.stderr.write(`colleague: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
  return EXIT.failed;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = report(error);
  },
);
