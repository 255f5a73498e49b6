import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { CATEGORIES, callText, type Category, type Stage } from "./types.js";

/**
 * The red-team set: labelled harmful requests, tool calls, tool results and outputs, and benign
 * look-alikes for each category (src/policy/data/redteam.jsonl). Each item falls in the `tune`
 * split (rules and classifier were tuned on it) or the `heldout` split (never tuned on), decided
 * by a hash of its id so that nobody picks which items are easy.
 */

export const RedTeamItem = z
  .object({
    id: z.string(),
    category: z.enum(CATEGORIES),
    label: z.enum(["harmful", "benign"]),
    kind: z.enum(["request", "tool_call", "tool_result", "output"]),
    text: z.string().optional(),
    tool: z.string().optional(),
    args: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type RedTeamItem = z.infer<typeof RedTeamItem> & { split: Split };
/**
 * tune: rules and classifier were tuned on it; heldout: never tuned on; blindN: a set written
 * after tuning had ended (redteam-blindN.jsonl), measured once as it stood (see docs/safety.md).
 */
export type Split = string;

const STAGES: Record<RedTeamItem["kind"], Stage> = {
  request: "input",
  tool_call: "tool_call",
  tool_result: "tool_result",
  output: "output",
};

export function stageOf(item: RedTeamItem): Stage {
  return STAGES[item.kind];
}

export function itemText(item: Pick<RedTeamItem, "kind" | "text" | "tool" | "args">): string {
  return item.kind === "tool_call" ? callText(item.tool ?? "", item.args) : (item.text ?? "");
}

/** FNV-1a: a fixed, content-blind split (about 30% held out). */
export function splitOf(id: string): "tune" | "heldout" {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % 10 < 3 ? "heldout" : "tune";
}

export function parseRedTeam(text: string, split?: Split): RedTeamItem[] {
  return text
    .split("\n")
    .filter((line) => line.trim())
    .map((line, i) => {
      const parsed = RedTeamItem.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`red-team set line ${i + 1}: ${parsed.error.issues[0]?.message}`);
      return { ...parsed.data, split: split ?? splitOf(parsed.data.id) };
    });
}

/** Finds the set from the source tree or from beside the built CLI (dist/ → ../src/policy/data). */
export function defaultRedTeamPath(): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    path.join(here, "..", "data", "redteam.jsonl"),
    path.join(here, "..", "src", "policy", "data", "redteam.jsonl"),
    path.join(here, "..", "..", "src", "policy", "data", "redteam.jsonl"),
  ];
  return candidates.find((p) => existsSync(p));
}

export function loadRedTeam(file: string, split?: Split): RedTeamItem[] {
  return parseRedTeam(readFileSync(file, "utf8"), split);
}

/** The blind sets beside the main one (redteam-blind1.jsonl, …), each its own split. */
export function loadBlindSets(mainFile: string): RedTeamItem[] {
  const dir = path.dirname(mainFile);
  return readdirSync(dir)
    .map((name) => /^redteam-(blind\d+)\.jsonl$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => a[1]!.localeCompare(b[1]!))
    .flatMap((m) => loadRedTeam(path.join(dir, m[0]), m[1]!));
}

export type { Category };
