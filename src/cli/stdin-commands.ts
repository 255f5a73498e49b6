import { readline } from "../builtins.js";
import type { Readable } from "node:stream";
import { z } from "zod";
import { EFFORT_SETTINGS, type EffortSetting } from "../agent/effort.js";
import { Inbox } from "../agent/inbox.js";

/**
 * `colleague run --json --stdin`: one JSON command per line on stdin, while events stream on
 * stdout, so editors, CI and dashboards can steer a headless run.
 */
export const StdinCommand = z.discriminatedUnion("type", [
  z.object({ type: z.literal("steer"), text: z.string().min(1), urgent: z.boolean().optional() }),
  z.object({ type: z.literal("queue"), text: z.string().min(1) }),
  z.object({ type: z.literal("interrupt") }),
  z.object({ type: z.literal("effort"), effort: z.enum(EFFORT_SETTINGS as [EffortSetting, ...EffortSetting[]]) }),
]);
export type StdinCommand = z.infer<typeof StdinCommand>;

/** Parses one line; a bad line is a message for the user, never a crash. */
export function parseStdinCommand(line: string): StdinCommand | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { error: `not JSON: ${line.slice(0, 80)}` };
  }
  const parsed = StdinCommand.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { error: `${issue.path.join(".") || "command"}: ${issue.message} (types: steer, queue, interrupt, effort)` };
  }
  return parsed.data;
}

export function applyCommand(inbox: Inbox, command: StdinCommand): void {
  switch (command.type) {
    case "steer":
      inbox.steer(command.text, { urgent: command.urgent === true });
      break;
    case "queue":
      inbox.queue(command.text);
      break;
    case "interrupt":
      inbox.interrupt();
      break;
    case "effort":
      inbox.setEffort(command.effort);
      break;
  }
}

/**
 * An inbox fed from `input`. After an interrupt the run waits for the next command; when
 * input ends, a waiting run ends as "interrupted".
 */
export function stdinInbox(input: Readable, onError: (message: string) => void): { inbox: Inbox; dispose: () => void } {
  const inbox = new Inbox({ waitAfterInterrupt: true });
  const lines = readline().createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  lines.on("line", (line) => {
    if (!line.trim()) return;
    const command = parseStdinCommand(line);
    if ("error" in command) onError(command.error);
    else applyCommand(inbox, command);
  });
  lines.on("close", () => inbox.close());
  return {
    inbox,
    dispose: () => {
      lines.close();
      input.pause();
    },
  };
}
