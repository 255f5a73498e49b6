import path from "node:path";
import { totalTokens } from "../model/types.js";
import { displayStatus, oneLine } from "../session/lookup.js";
import type { SessionRow } from "../store/store.js";
import { intFlag, parseFlags } from "./args.js";
import { COMMANDS } from "./commands.js";
import { formatTokens, formatUsd } from "./render.js";
import { openStore } from "./setup.js";

/**
 * `colleague sessions`: newest first, grouped under their folder — id, status, steps, tokens,
 * cost, model, start, name, task. A session whose process died shows as `stopped`.
 */
export function sessionsCommand(argv: string[]): number {
  const { values } = parseFlags(argv, COMMANDS.sessions.flags, "sessions");
  const folder = values.cwd ? path.resolve(values.cwd) : values.here ? process.cwd() : undefined;
  const store = openStore();
  try {
    const rows = store.listSessions(intFlag(values.limit, "limit") ?? 20, folder ? { cwd: folder } : {});
    if (values.json) {
      for (const row of rows) process.stdout.write(`${JSON.stringify({ ...row, status: displayStatus(row) })}\n`);
      return 0;
    }
    if (!rows.length) {
      const where = folder ? ` in ${folder}` : "";
      process.stdout.write(`No sessions${where} yet. Start one with: colleague run "<task>"  (or try: colleague demo)\n`);
      return 0;
    }
    // Folders in the order of their newest session; each folder's sessions newest first.
    const groups = new Map<string, SessionRow[]>();
    for (const row of rows) groups.set(row.cwd, [...(groups.get(row.cwd) ?? []), row]);
    const header = ["ID", "STATUS", "STEPS", "TOKENS", "COST", "MODEL", "STARTED", "NAME", "TASK"];
    const cells = (r: SessionRow) => [
      r.id,
      displayStatus(r),
      String(r.steps),
      formatTokens(totalTokens(r.usage)),
      formatUsd(r.costUsd),
      oneLine(r.model, 28),
      r.createdAt.slice(0, 16).replace("T", " "),
      r.name ?? "-",
      oneLine(r.task, 50),
    ];
    const widths = columnWidths(header, rows.map(cells));
    let first = true;
    for (const [cwd, group] of groups) {
      process.stdout.write(`${first ? "" : "\n"}${cwd}\n`);
      first = false;
      writeRow(header, widths);
      for (const row of group) writeRow(cells(row), widths);
    }
    return 0;
  } finally {
    store.close();
  }
}

function columnWidths(header: string[], rows: string[][]): number[] {
  return header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
}

function writeRow(cells: string[], widths: number[]): void {
  process.stdout.write(`  ${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ")}\n`);
}

export function printTable(header: string[], rows: string[][]): void {
  const widths = columnWidths(header, rows);
  const line = (cells: string[]) => `${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ")}\n`;
  process.stdout.write(line(header));
  for (const row of rows) process.stdout.write(line(row));
}
