import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { CATEGORIES, callText, type Category, type Stage } from "./types.js";

/**
 * The red-team sets: labelled harmful requests, tool calls, tool results and outputs, and benign
 * look-alikes for each category (src/policy/data/redteam*.jsonl). Every set is listed in
 * redteam-sets.json with the date it was written, who wrote it, whether its results were ever
 * looked at and whether anything was tuned on it. Only a set nothing was ever tuned on measures
 * anything held out; the others together form one `tune` set (a regression check).
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
export type RedTeamItem = z.infer<typeof RedTeamItem> & {
  /** The set (file) it comes from: "redteam", "blind1", … */
  set: string;
};

/** One entry of redteam-sets.json: where a set came from and what was done with it. */
export const SetProvenance = z
  .object({
    name: z.string().regex(/^[a-z0-9-]+$/),
    file: z.string(),
    /** YYYY-MM-DD. */
    written: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    by: z.string().min(1),
    /** The commit that added it. */
    commit: z.string().optional(),
    /** Were its results ever seen (a first run counts)? */
    lookedAt: z.boolean(),
    /** Was any rule, intent family, classifier weight or threshold changed after looking at it? */
    tunedOn: z.boolean(),
    history: z.string(),
  })
  .strict();
export type SetProvenance = z.infer<typeof SetProvenance>;

export interface RedTeamSet extends SetProvenance {
  items: RedTeamItem[];
}

const Manifest = z.object({ about: z.string().optional(), sets: z.array(SetProvenance) }).strict();
export const MANIFEST_FILE = "redteam-sets.json";

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

export function parseRedTeam(text: string, set = "redteam"): RedTeamItem[] {
  return text
    .split("\n")
    .filter((line) => line.trim())
    .map((line, i) => {
      const parsed = RedTeamItem.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`red-team set line ${i + 1}: ${parsed.error.issues[0]?.message}`);
      return { ...parsed.data, set };
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

export function loadRedTeam(file: string, set?: string): RedTeamItem[] {
  return parseRedTeam(readFileSync(file, "utf8"), set ?? path.basename(file).replace(/\.jsonl$/, ""));
}

/**
 * Every set in the folder of `mainFile`, with its provenance from redteam-sets.json. A set file
 * the manifest does not list is an error: a figure without its history cannot be trusted.
 */
export function loadRedTeamSets(mainFile: string): RedTeamSet[] {
  const dir = path.dirname(mainFile);
  const manifest = Manifest.parse(JSON.parse(readFileSync(path.join(dir, MANIFEST_FILE), "utf8")));
  const listed = new Set(manifest.sets.map((s) => s.file));
  const unlisted = readdirSync(dir).filter((name) => /^redteam.*\.jsonl$/.test(name) && !listed.has(name));
  if (unlisted.length) {
    throw new Error(`${unlisted.join(", ")}: not in ${MANIFEST_FILE}; add each with the date it was written, by whom, and whether it was looked at or tuned on`);
  }
  return manifest.sets.map((entry) => ({ ...entry, items: loadRedTeam(path.join(dir, entry.file), entry.name) }));
}

export type { Category };
