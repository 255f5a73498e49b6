import { literal, type ShellWord } from "./words.js";

/**
 * Commands that run other commands. Given a program's basename and its arguments, says what it
 * runs: another command's words (`sudo -u x rm a` runs `rm a`), a shell script to parse
 * (`sh -c '…'`, `eval …`), commands read from standard input (`bash` with no script), or
 * commands it implies (`find … -delete` removes files like `rm -rf`).
 */
export interface Unwrapped {
  commands: ShellWord[][];
  scripts: ShellWord[];
  /** A shell that reads its commands from standard input (a here-document, a pipe). */
  readsStdin?: boolean;
  /** Found nothing certain: why. */
  unknown?: string;
}

const NONE: Unwrapped = { commands: [], scripts: [] };
const runs = (words: ShellWord[]): Unwrapped => (words.length > 0 ? { commands: [words], scripts: [] } : NONE);
/** The command, or with none a shell that reads its commands from standard input (`sudo -s`, `su`, `chroot dir`). */
const orShell = (words: ShellWord[], startsShell: boolean): Unwrapped =>
  words.length > 0 ? runs(words) : startsShell ? { ...NONE, readsStdin: true } : NONE;

interface OptionSpec {
  /** Short options (letters) that take a value: the rest of the cluster or the next word. */
  short?: string;
  /** Long options (without `--`) that take a value, unless given as `--opt=value`. */
  long?: string[];
  /** `NAME=value` words before the command are settings, not the command (env, sudo). */
  assignments?: boolean;
}

interface Options {
  /** Index of the first operand. */
  rest: number;
  /** Option letters and long names seen, with their values. */
  seen: Map<string, string | true>;
}

/** Reads leading options up to the first operand or `--`. */
function readOptions(args: ShellWord[], spec: OptionSpec): Options {
  const seen = new Map<string, string | true>();
  let i = 0;
  while (i < args.length) {
    const word = args[i]!.text;
    if (word === "--") return { rest: i + 1, seen };
    if (word.startsWith("--") && word.length > 2) {
      const eq = word.indexOf("=");
      const name = word.slice(2, eq < 0 ? undefined : eq);
      if (eq >= 0) seen.set(name, word.slice(eq + 1));
      else if (spec.long?.includes(name)) seen.set(name, args[++i]?.text ?? "");
      else seen.set(name, true);
      i++;
      continue;
    }
    if (word.startsWith("-") && word.length > 1) {
      for (let j = 1; j < word.length; j++) {
        const letter = word[j]!;
        if (spec.short?.includes(letter)) {
          const attached = word.slice(j + 1);
          seen.set(letter, attached || (args[++i]?.text ?? ""));
          break;
        }
        seen.set(letter, true);
      }
      i++;
      continue;
    }
    if (spec.assignments && /^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) {
      i++;
      continue;
    }
    break;
  }
  return { rest: i, seen };
}

/** A wrapper that runs the words after its options. */
const prefix =
  (spec: OptionSpec, operandsBefore = 0) =>
  (args: ShellWord[]): Unwrapped => {
    const { rest } = readOptions(args, spec);
    return runs(args.slice(rest + operandsBefore));
  };

export const SHELLS = new Set(["sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "yash", "posh", "rbash"]);

/** `bash -lc 'script'`, `sh script.sh` (a file: opaque), `bash` / `bash -s` (standard input). */
function shell(args: ShellWord[]): Unwrapped {
  let command = false;
  let stdin = false;
  let i = 0;
  for (; i < args.length; i++) {
    const word = args[i]!.text;
    if (word === "--" || word === "-") {
      i++;
      break;
    }
    if (/^[-+][oO]$/.test(word) || word === "--rcfile" || word === "--init-file") {
      i++;
      continue;
    }
    if (word.startsWith("--")) continue;
    if (/^[-+][A-Za-z]+$/.test(word)) {
      if (word.startsWith("-") && word.includes("c")) command = true;
      if (word.startsWith("-") && word.includes("s")) stdin = true;
      continue;
    }
    break;
  }
  if (command) {
    const script = args[i];
    return script ? { commands: [], scripts: [script] } : { ...NONE, unknown: "`-c` without a script" };
  }
  if (stdin || i >= args.length) return { ...NONE, readsStdin: true };
  return NONE; // runs a script file: as opaque as any other program
}

/** `eval a b` runs the words joined by spaces, parsed again. */
function evaluate(args: ShellWord[]): Unwrapped {
  if (args.length === 0) return NONE;
  return { commands: [], scripts: [joined(args)] };
}

function joined(args: ShellWord[]): ShellWord {
  return { text: args.map((a) => a.text).join(" "), dynamic: args.some((a) => a.dynamic), pattern: false };
}

function sudo(args: ShellWord[]): Unwrapped {
  const { rest, seen } = readOptions(args, {
    short: "ugpCDrtUTRh",
    long: ["user", "group", "prompt", "close-from", "chdir", "role", "type", "other-user", "command-timeout", "host", "chroot"],
    assignments: true,
  });
  // Editing, listing and validating name no command to run.
  if (["e", "edit", "l", "list", "v", "validate"].some((option) => seen.has(option))) return NONE;
  return orShell(args.slice(rest), ["s", "i", "shell", "login"].some((option) => seen.has(option)));
}

function env(args: ShellWord[]): Unwrapped {
  const { rest, seen } = readOptions(args, { short: "uCSa", long: ["unset", "chdir", "split-string", "argv0"], assignments: true });
  const split = seen.get("S") ?? seen.get("split-string");
  const tail = args.slice(rest);
  if (typeof split === "string") return { commands: [], scripts: [joined([literal(split), ...tail])] };
  return runs(tail);
}

function timeout(args: ShellWord[]): Unwrapped {
  const { rest } = readOptions(args, { short: "sk", long: ["signal", "kill-after"] });
  return runs(args.slice(rest + 1)); // the duration comes first
}

function ionice(args: ShellWord[]): Unwrapped {
  const { rest, seen } = readOptions(args, { short: "cnpPu", long: ["class", "classdata", "pid", "pgid", "uid"] });
  if (seen.has("p") || seen.has("P") || seen.has("u") || seen.has("pid") || seen.has("pgid") || seen.has("uid")) return NONE;
  return runs(args.slice(rest));
}

function xargs(args: ShellWord[]): Unwrapped {
  const { rest } = readOptions(args, {
    short: "adEILnPs",
    long: ["arg-file", "delimiter", "eof", "replace", "max-lines", "max-args", "max-procs", "max-chars", "process-slot-var"],
  });
  const command = args.slice(rest);
  return runs(command.length > 0 ? command : [literal("echo")]);
}

function command(args: ShellWord[]): Unwrapped {
  const { rest, seen } = readOptions(args, {});
  if (seen.has("v") || seen.has("V")) return NONE; // only looks the name up
  return runs(args.slice(rest));
}

/** `watch -x cmd args` runs the words; otherwise it hands the joined words to `sh -c`. */
function watch(args: ShellWord[]): Unwrapped {
  const { rest, seen } = readOptions(args, { short: "nq", long: ["interval", "equexit"] });
  const tail = args.slice(rest);
  if (tail.length === 0) return NONE;
  return seen.has("x") || seen.has("exec") ? runs(tail) : { commands: [], scripts: [joined(tail)] };
}

/** `su -c 'script' user`, `runuser -u user -- cmd`. */
function su(args: ShellWord[]): Unwrapped {
  const { rest, seen } = readOptions(args, { short: "cgGsuw", long: ["command", "group", "supp-group", "shell", "user", "whitelist-environment", "session-command"] });
  const script = seen.get("c") ?? seen.get("command") ?? seen.get("session-command");
  if (typeof script === "string") return { commands: [], scripts: [literal(script)] };
  return seen.has("u") || seen.has("user") ? runs(args.slice(rest)) : { ...NONE, readsStdin: true };
}

/** `script -c 'cmd' file` runs cmd through a shell; without -c it starts an interactive shell. */
function script(args: ShellWord[]): Unwrapped {
  const { seen } = readOptions(args, { short: "cEIOBTt", long: ["command", "echo", "log-in", "log-out", "log-io", "log-timing", "timing"] });
  const command = seen.get("c") ?? seen.get("command");
  return typeof command === "string" ? { commands: [], scripts: [literal(command)] } : { ...NONE, readsStdin: true };
}

function doas(args: ShellWord[]): Unwrapped {
  const { rest, seen } = readOptions(args, { short: "uC" });
  return orShell(args.slice(rest), seen.has("s"));
}

function chroot(args: ShellWord[]): Unwrapped {
  const { rest } = readOptions(args, { long: ["userspec", "groups"] });
  return rest < args.length ? orShell(args.slice(rest + 1), true) : NONE;
}

/** `flock [opts] file cmd…` or `flock [opts] file -c 'script'`. */
function flock(args: ShellWord[]): Unwrapped {
  const { rest } = readOptions(args, { short: "wE", long: ["timeout", "conflict-exit-code"] });
  const tail = args.slice(rest + 1);
  if (tail[0]?.text === "-c" || tail[0]?.text === "--command") return tail[1] ? { commands: [], scripts: [tail[1]] } : NONE;
  return runs(tail);
}

/**
 * `find` runs `-exec`/`-execdir`/`-ok`/`-okdir` commands (up to `;` or `+`), and `-delete`
 * removes what it finds: an `rm -rf` of its starting points as far as rules are concerned.
 */
function find(args: ShellWord[]): Unwrapped {
  let i = 0;
  while (i < args.length && /^-[HLP]$|^-D$|^-O\d*$/.test(args[i]!.text)) i += args[i]!.text === "-D" ? 2 : 1;
  const starts: ShellWord[] = [];
  while (i < args.length && !/^[-(!)]/.test(args[i]!.text)) starts.push(args[i++]!);
  const commands: ShellWord[][] = [];
  for (; i < args.length; i++) {
    const word = args[i]!.text;
    if (word === "-delete") commands.push([literal("rm"), literal("-rf"), ...(starts.length > 0 ? starts : [literal(".")])]);
    if (word === "-exec" || word === "-execdir" || word === "-ok" || word === "-okdir") {
      const inner: ShellWord[] = [];
      while (++i < args.length && args[i]!.text !== ";" && args[i]!.text !== "+") inner.push(args[i]!);
      if (inner.length > 0) commands.push(inner);
    }
  }
  return { commands, scripts: [] };
}

const WRAPPERS: Record<string, (args: ShellWord[]) => Unwrapped> = {
  sudo,
  doas,
  env,
  nice: prefix({ short: "n", long: ["adjustment"] }),
  timeout,
  nohup: prefix({}),
  stdbuf: prefix({ short: "ioe", long: ["input", "output", "error"] }),
  ionice,
  chroot,
  xargs,
  command,
  builtin: prefix({}),
  exec: prefix({ short: "a" }),
  time: prefix({}),
  coproc: prefix({}),
  setsid: prefix({}),
  unbuffer: prefix({}),
  fakeroot: prefix({ short: "ils", long: ["lib", "faked", "unknown-is-real"] }),
  taskset: prefix({}, 1),
  strace: prefix({ short: "eopsuEIbaXOPS" }),
  ltrace: prefix({ short: "eopsuEIbaXOPSnlwAD" }),
  busybox: prefix({}),
  toybox: prefix({}),
  watch,
  su,
  runuser: su,
  flock,
  script,
  eval: evaluate,
  find,
};

export function unwrap(program: string, args: ShellWord[]): Unwrapped | undefined {
  if (SHELLS.has(program)) return shell(args);
  return WRAPPERS[program]?.(args);
}
