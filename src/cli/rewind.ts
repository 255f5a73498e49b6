import { RewindError, type RewindRequest, stepCheckpoints } from "../session/rewind.js";
import { lookupSession } from "../session/lookup.js";
import { intFlag, parseFlags } from "./args.js";
import { COMMANDS } from "./commands.js";
import { UsageError } from "./errors.js";
import { cliHost } from "./setup.js";

/**
 * `colleague rewind <session> [--to STEP] [--code|--conversation|--both]`: the workspace files
 * back to the checkpoint before a step, the conversation forked before it, or both (default).
 * `--list` shows the steps that have a checkpoint.
 */
export async function rewindCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, COMMANDS.rewind.flags, "rewind");
  const ref = positionals[0];
  if (!ref) throw new UsageError("rewind: give a session id, name or id prefix (see `colleague sessions`)");
  const chosen = (["code", "conversation", "both"] as const).filter((k) => values[k]);
  if (chosen.length > 1) throw new UsageError(`rewind: give one of --code, --conversation, --both (got --${chosen.join(" and --")})`);
  const host = cliHost();
  try {
    const row = lookupSession(host.store, ref);
    if (values.list) return list(host.store.events(row.id), values.json === true);
    const request: RewindRequest = {
      ...(values.to !== undefined ? { to: intFlag(values.to, "to")! } : {}),
      code: chosen[0] !== "conversation",
      conversation: chosen[0] !== "code",
    };
    const result = await host.rewind(row.id, request).catch((error: unknown) => {
      throw error instanceof RewindError ? new UsageError(`rewind: ${error.message}`) : error;
    });
    if (values.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return 0;
    }
    const lines = [`rewound session ${row.id} to before step ${result.step}`];
    if (request.code) {
      const changed = result.restored.length + result.removed.length;
      lines.push(
        changed === 0
          ? "  files: nothing to restore (no change after that point)"
          : `  files: ${result.restored.length} restored, ${result.removed.length} removed${list3(result.restored, result.removed)}`,
      );
    }
    if (result.sessionId) lines.push(`  conversation: continue it with colleague resume ${result.sessionId} "<follow-up>"`);
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  } finally {
    host.close();
  }
}

function list(events: Parameters<typeof stepCheckpoints>[0], json: boolean): number {
  const steps = stepCheckpoints(events);
  if (json) {
    for (const s of steps) process.stdout.write(`${JSON.stringify(s)}\n`);
    return 0;
  }
  if (steps.length === 0) {
    process.stdout.write("no checkpoints: this session changed no files\n");
    return 0;
  }
  process.stdout.write("step  time      first change\n");
  for (const s of steps) process.stdout.write(`${String(s.step).padStart(4)}  ${s.time.slice(11, 19)}  ${s.summary}\n`);
  return 0;
}

function list3(restored: string[], removed: string[]): string {
  const names = [...restored, ...removed.map((f) => `-${f}`)];
  return ` (${names.slice(0, 3).join(", ")}${names.length > 3 ? ", …" : ""})`;
}
