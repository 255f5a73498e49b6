import { displayStatus, lookupSession } from "../session/lookup.js";
import { parseFlags } from "./args.js";
import { COMMANDS } from "./commands.js";
import { UsageError } from "./errors.js";
import { Renderer, styleFor } from "./render.js";
import { openStore } from "./setup.js";
import { TeamRenderer } from "./team-render.js";
import { showSubagentSession, subagentSessionOf } from "./show-subagents.js";

/**
 * `colleague show <id|name|prefix>`: replays a session's whole conversation — the task, the
 * model's text (thinking with --thinking), tool calls and results, the final answer — or the
 * stored events as JSON lines. A session whose process died says so at the end.
 */
export function showCommand(argv: string[]): number {
  const { values, positionals } = parseFlags(argv, COMMANDS.show.flags, "show");
  const ref = positionals[0];
  if (!ref) throw new UsageError("show: give a session id, name or id prefix (see `colleague sessions`)");
  const store = openStore();
  try {
    const row = lookupSession(store, ref);
    const events = store.iterateEvents?.(row.id) ?? store.events(row.id);
    if (values.json) {
      for (const event of events) process.stdout.write(`${JSON.stringify(event)}\n`);
      return 0;
    }
    const style = styleFor(process.stdout);
    let print: ((event: Parameters<Renderer["render"]>[0]) => void) | undefined;
    for (const event of events) {
      // A team session interleaves agents: its own renderer tags each line with the agent.
      print ??=
        event.type === "team_started"
          ? new TeamRenderer(process.stdout, style).render
          : new Renderer(process.stdout, style, { replay: true, showThinking: values.thinking === true, live: false }).render;
      // A subagent's run (the `task` tool) is shown where it happened, indented under its call.
      const child = subagentSessionOf(event);
      if (child && store.getSession(child)) showSubagentSession(store, child, process.stdout, style, values.thinking === true);
      print(event);
    }
    const status = displayStatus(row);
    if (status === "stopped" && row.status === "running") process.stdout.write(style.yellow(`■ stopped: its process is gone (killed?); continue it with colleague resume ${row.id}\n`));
    else if (status === "running") process.stdout.write(style.dim(`… still running (process ${row.pid ?? "?"})\n`));
    return 0;
  } finally {
    store.close();
  }
}
