import { isatty } from "node:tty";
import { didYouMean } from "../config/did-you-mean.js";
import { ConfigError } from "../model/resolve.js";
import { SessionBusy, SessionNotFound } from "../session/errors.js";
import { describeThisProcess } from "../session/lease.js";
import { QueueUnavailable } from "../queue/errors.js";
import { dropEarlyFrame } from "../tui/early-frame.js";
import { StoreUnavailable } from "../store/errors.js";
import { COMMANDS, type CommandName, commandHelp, isCommand, ROOT_FLAGS, rootHelp } from "./commands.js";
import { EXIT, UsageError } from "./errors.js";
import { checkHome } from "./folders.js";
import { version } from "./version.js";

type Command = (argv: string[]) => number | Promise<number>;

// Each command loads on demand, so `--version` and `--help` start in a few milliseconds: the
// help comes from ./commands.ts, which imports nothing heavy.
const commands: Record<CommandName, () => Promise<Command>> = {
  run: async () => (await import("./run.js")).runCommand,
  resume: async () => (await import("./resume.js")).resumeCommand,
  team: async () => (await import("./team.js")).teamCommand,
  review: async () => (await import("./review.js")).reviewCommand,
  sessions: async () => (await import("./sessions.js")).sessionsCommand,
  show: async () => (await import("./show.js")).showCommand,
  rewind: async () => (await import("./rewind.js")).rewindCommand,
  models: async () => (await import("./models.js")).modelsCommand,
  audit: async () => (await import("./audit.js")).auditCommand,
  eval: async () => (await import("./eval-safety.js")).evalCommand,
  demo: async () => (await import("./demo.js")).demoCommand,
  completion: async () => (await import("./completion.js")).completionCommand,
  doctor: async () => (await import("./doctor.js")).doctorCommand,
  serve: async () => (await import("./serve.js")).serveCommand,
  worker: async () => (await import("./worker.js")).workerCommand,
  acp: async () => (await import("./acp.js")).acpCommand,
  mcp: async () => (await import("./mcp.js")).mcpCommand,
  attach: async () => (await import("./attach.js")).attachCommand,
  trust: async () => (await import("./trust.js")).trustCommand,
};

/** `--help` / `-h` anywhere before a `--` asks for help, as people type it after other flags. */
function wantsHelp(argv: string[]): boolean {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === "--help" || a === "-h");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "--version" || name === "-v" || name === "version") {
    process.stdout.write(`colleague ${version()}\n`);
    return EXIT.ok;
  }
  if (name === "help") {
    const topic = rest[0];
    if (topic === undefined) process.stdout.write(rootHelp());
    else if (isCommand(topic)) process.stdout.write(commandHelp(topic));
    else throw unknownCommand(topic);
    return EXIT.ok;
  }
  if (name !== undefined && isCommand(name)) {
    if (wantsHelp(rest)) {
      process.stdout.write(commandHelp(name));
      return EXIT.ok;
    }
    describeThisProcess(`colleague ${name}`);
    if (name !== "completion") checkHome();
    return (await commands[name]())(rest);
  }
  if (wantsHelp(argv)) {
    process.stdout.write(rootHelp());
    return EXIT.ok;
  }
  // A single word close to a command is a typo, not a task ("colleague rnu").
  if (name !== undefined && !name.startsWith("-") && !/\s/.test(name) && rest.length === 0 && didYouMean(name, Object.keys(COMMANDS))) {
    throw unknownCommand(name);
  }
  describeThisProcess("colleague");
  checkHome();
  return root(argv);
}

/**
 * No command: `-p`, or a task without a terminal, runs one-shot; a task on a terminal runs as
 * `run` does (streamed); nothing but flags on a terminal opens the interactive terminal, loaded
 * lazily so that the other commands never pay for Ink and React.
 */
async function root(argv: string[]): Promise<number> {
  const { parseFlags } = await import("./args.js");
  const { values, positionals } = parseFlags(argv, ROOT_FLAGS, "colleague");
  const terminal = isatty(0) && isatty(1);
  const oneShot = values.print === true || values["output-format"] !== undefined || values.json === true;
  if (oneShot || positionals.length > 0 || values.continue || values.last) {
    const { printCommand } = await import("./print.js");
    return printCommand(values, positionals, { mode: oneShot || !terminal ? "print" : "stream" });
  }
  if (!terminal) {
    process.stdout.write(rootHelp());
    return EXIT.ok;
  }
  return (await import("../tui/index.js")).openTui(argv);
}

function unknownCommand(word: string): UsageError {
  const guess = didYouMean(word, Object.keys(COMMANDS));
  const hint = guess ? `did you mean \`colleague ${guess}\`?` : `commands: ${Object.keys(COMMANDS).join(", ")}`;
  return new UsageError(`unknown command "${word}"; ${hint} (a task goes in quotes: colleague "fix the test"; see \`colleague --help\`)`);
}

/** Expected failures print one line; anything else is a bug and prints its stack. */
function report(error: unknown): number {
  dropEarlyFrame();
  if (error instanceof UsageError || error instanceof ConfigError || error instanceof SessionNotFound || error instanceof SessionBusy || error instanceof StoreUnavailable || error instanceof QueueUnavailable) {
    process.stderr.write(`colleague: ${error.message}\n`);
    return EXIT.usage;
  }
  process.stderr.write(`colleague: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
  return EXIT.failed;
}

main(process.argv.slice(2)).then(
  (code) => {
    dropEarlyFrame();
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = report(error);
  },
);
