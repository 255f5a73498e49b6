import { totalTokens } from "../model/types.js";
import { sessionEvents } from "../session/session.js";
import { intFlag, parseFlags } from "./args.js";
import { UsageError } from "./errors.js";
import { eventPrinter } from "./output.js";
import { formatTokens, formatUsd, styleFor } from "./render.js";
import { openStore } from "./setup.js";
import { TeamRenderer } from "./team-render.js";

/** `colleague sessions`: newest first — id, status, steps, tokens, cost, model, task. */
export function sessionsCommand(argv: string[]): number {
  const { values } = parseFlags(argv, { limit: { type: "string", short: "n" }, json: { type: "boolean" } }, "sessions");
  const store = openStore();
  try {
    const rows = store.listSessions(intFlag(values.limit, "limit") ?? 20);
    if (values.json) {
      for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
      return 0;
    }
    if (!rows.length) {
      process.stdout.write('No sessions yet. Start one with: colleague run "<task>"  (or try: colleague demo)\n');
      return 0;
    }
    const table = rows.map((r) => [
      r.id,
      r.status,
      String(r.steps),
      formatTokens(totalTokens(r.usage)),
      formatUsd(r.costUsd),
      r.model.length > 28 ? `${r.model.slice(0, 27)}…` : r.model,
      r.createdAt.slice(0, 16).replace("T", " "),
      r.task.replace(/\s+/g, " ").slice(0, 50),
    ]);
    printTable(["ID", "STATUS", "STEPS", "TOKENS", "COST", "MODEL", "STARTED", "TASK"], table);
    return 0;
  } finally {
    store.close();
  }
}

/** `colleague show <id>`: replays a session's log (rendered, or as JSON lines). */
export function showCommand(argv: string[]): number {
  const { values, positionals } = parseFlags(argv, { json: { type: "boolean" } }, "show");
  const id = positionals[0];
  if (!id) throw new UsageError("show: give a session id (see `colleague sessions`)");
  const store = openStore();
  try {
    const events = sessionEvents(store, id);
    // A team session interleaves agents: its own renderer tags each line with the agent.
    const team = events[0]?.type === "team_started" && values.json !== true;
    const print = team ? new TeamRenderer(process.stdout, styleFor(process.stdout)).render : eventPrinter(values.json === true);
    for (const event of events) print(event);
    return 0;
  } finally {
    store.close();
  }
}

export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ")}\n`;
  process.stdout.write(line(header));
  for (const row of rows) process.stdout.write(line(row));
}
