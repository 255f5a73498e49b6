import { fstatSync } from "node:fs";
import path from "node:path";
import { isatty } from "node:tty";
import type { Host, ResumeRequest, RunHandles } from "../host/host.js";
import type { SessionResult } from "../session/session.js";
import { lookupSession, newestSessionIn, sessionKind } from "../session/lookup.js";
import type { SessionRow } from "../store/store.js";
import { choiceFlag, intFlag, numberFlag } from "./args.js";
import { UsageError } from "./errors.js";
import { exitCodeFor, OUTPUT_FORMATS, type Output, type OutputFormat, outputFor } from "./output.js";
import { guardChoice, type PolicyFlagValues } from "./policy.js";
import { cliHost, interruptible, parseEffort } from "./setup.js";
import { stdinInbox } from "./stdin-commands.js";

/** The flags `run`, `resume` and one-shot (`colleague -p`) share; each takes a subset. */
export interface LaunchFlags extends PolicyFlagValues {
  model?: string;
  effort?: string;
  "max-steps"?: string;
  "budget-usd"?: string;
  "budget-tokens"?: string;
  cwd?: string;
  json?: boolean;
  "output-format"?: string;
  stdin?: boolean;
  name?: string;
  /** `run --image FILE`: paths as typed, so relative to the folder colleague was started in. */
  image?: string[];
}

/** `--json` is kept as the old spelling of `--output-format stream-json`. */
export function outputFormatOf(values: LaunchFlags, fallback: OutputFormat): OutputFormat {
  const chosen = choiceFlag(values["output-format"], "output-format", OUTPUT_FORMATS);
  if (values.json && chosen && chosen !== "stream-json") throw new UsageError("--json is --output-format stream-json; give one of them");
  return values.json ? "stream-json" : (chosen ?? fallback);
}

export function settingsOf(values: LaunchFlags) {
  const effort = parseEffort(values.effort);
  const maxSteps = intFlag(values["max-steps"], "max-steps");
  const budgetUsd = numberFlag(values["budget-usd"], "budget-usd");
  const budgetTokens = intFlag(values["budget-tokens"], "budget-tokens");
  return {
    ...(values.model ? { model: values.model } : {}),
    ...(effort ? { effort } : {}),
    ...(maxSteps ? { maxSteps } : {}),
    ...(budgetUsd ? { budgetUsd } : {}),
    ...(budgetTokens ? { budgetTokens } : {}),
    ...guardChoice(values),
  };
}

/** Piped input is bounded: a 100 MB log would not fit any context window. Head and tail are kept. */
const MAX_PIPED_CHARS = 200_000;

/**
 * What was piped into colleague (`cat log | colleague -p "explain"`): read to its end when
 * stdin is a pipe, a file or a socket; nothing when it is a terminal or /dev/null.
 */
export async function readPipedStdin(input?: NodeJS.ReadStream): Promise<string | undefined> {
  // Asked of the file descriptor first: process.stdin's stream is built only to be read.
  if (input ? input.isTTY : isatty(0)) return undefined;
  let piped = false;
  try {
    const stat = fstatSync(0);
    piped = stat.isFIFO() || stat.isFile() || stat.isSocket();
  } catch {
    return undefined;
  }
  if (!piped) return undefined;
  const stream = input ?? process.stdin;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text.trim()) return undefined;
  if (text.length <= MAX_PIPED_CHARS) return text;
  const half = MAX_PIPED_CHARS / 2;
  return `${text.slice(0, half)}\n[… ${text.length - MAX_PIPED_CHARS} characters of the input left out …]\n${text.slice(-half)}`;
}

/** The task with the piped input attached as context, marked so the model can tell them apart. */
export function withPipedInput(task: string, piped: string | undefined): string {
  if (!piped) return task;
  const body = piped.endsWith("\n") ? piped : `${piped}\n`;
  return task ? `${task}\n\nInput piped to colleague (stdin):\n<stdin>\n${body}</stdin>` : piped;
}

export interface TaskLaunch {
  values: LaunchFlags;
  /** The task from the command line ("" when only stdin or --continue gives one). */
  task: string;
  format: OutputFormat;
  /** Continue the newest session of the workspace folder instead of starting one. */
  continueLatest?: boolean;
  /** How to tell the person what to type when there is no task. */
  usage: string;
}

/** Starts a task (or continues the folder's newest session) and reports it in the chosen format. */
export async function launchTask(launch: TaskLaunch): Promise<number> {
  const { values, format } = launch;
  const settings = settingsOf(values);
  // --stdin makes stdin a command channel; otherwise what is piped in is the task's context.
  const piped = values.stdin ? undefined : await readPipedStdin();
  const { host, signal, output, handles, close, stopExit } = openRun(values, format);
  try {
    if (launch.continueLatest) {
      const row = newestSessionIn(host.store, host.workplace(values.cwd).cwd);
      const followUp = withPipedInput(launch.task, piped);
      const code = await resumeRow(host, row, { ...settings, ...(followUp ? { followUp } : {}) }, { format, output, signal, handles });
      return stopExit() ?? code;
    }
    const task = withPipedInput(launch.task, piped);
    if (!task.trim()) throw new UsageError(launch.usage);
    const result = await host.startSession(
      {
        ...settings,
        task,
        ...(values.cwd ? { cwd: values.cwd } : {}),
        ...(values.name ? { name: values.name } : {}),
        ...(values.image?.length ? { images: values.image.map((file) => path.resolve(file)) } : {}),
      },
      handles,
    );
    output.finish(result);
    return stopExit() ?? exitCodeFor(result);
  } finally {
    close();
  }
}

/** What a run from the command line holds while it works: the host, Ctrl-C, --stdin steering, the output. */
function openRun(values: LaunchFlags, format: OutputFormat) {
  const host = cliHost();
  const { signal, dispose, stopExit } = interruptible();
  const steering = values.stdin ? stdinInbox(process.stdin, (m) => process.stderr.write(`colleague: stdin: ${m}\n`)) : undefined;
  const output = outputFor(format);
  const handles = { onEvent: output.onEvent, signal, ...(steering ? { inbox: steering.inbox } : {}) };
  const close = () => {
    steering?.dispose();
    dispose();
    host.close();
  };
  return { host, signal, output, handles, close, stopExit };
}

/** Continues a stored session: a team session carries on as a whole team (src/team/resume.ts). */
export async function resumeRow(
  host: Host,
  row: SessionRow,
  request: ResumeRequest,
  how: { format: OutputFormat; output: Output; signal: AbortSignal; handles: RunHandles },
): Promise<number> {
  if (sessionKind(host.store, row.id) !== "solo") {
    const { resumeTeamSession } = await import("./team.js");
    const choice = { ...(request.permissionMode ? { permissionMode: request.permissionMode } : {}), ...(request.sandbox ? { sandbox: request.sandbox } : {}) };
    return exitCodeFor(await resumeTeamSession(host, row.id, choice, how.format === "stream-json", how.signal));
  }
  const result: SessionResult = await host.resumeSession(row.id, request, how.handles);
  how.output.finish(result);
  return exitCodeFor(result);
}

/** `resume <id>` continues a named session with the same settings and output as `--last`. */
export async function resumeSessionRef(ref: string | undefined, values: LaunchFlags, followUp: string, format: OutputFormat): Promise<number> {
  const settings = settingsOf(values);
  const { host, signal, output, handles, close, stopExit } = openRun(values, format);
  try {
    const row = ref === undefined ? newestSessionIn(host.store, host.workplace(values.cwd).cwd) : lookupSession(host.store, ref);
    const code = await resumeRow(host, row, { ...settings, ...(followUp ? { followUp } : {}) }, { format, output, signal, handles });
    return stopExit() ?? code;
  } finally {
    close();
  }
}
