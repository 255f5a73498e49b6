import type { AnyTool } from "./define.js";

/** Claude Code's tool names, as users write them in `tools:` and `allowed-tools:`, and ours for each. */
const CLAUDE_NAMES: Record<string, string[]> = {
  read: ["read_file"],
  write: ["write_file"],
  edit: ["edit_file", "apply_patch"],
  multiedit: ["edit_file", "apply_patch"],
  bash: ["shell"],
  grep: ["grep"],
  glob: ["glob"],
  ls: ["list"],
  webfetch: ["web_fetch"],
  websearch: ["web_search"],
  skill: ["skill"],
  task: ["task"],
};

/**
 * The tools a list such as `Read, Grep, Bash(git status:*)` or `read_file, shell` offers, in
 * the order of `available` (so the request's tool specs keep their order). A parenthesised
 * pattern only names the tool: it grants nothing, the permission rules still decide each call.
 * Names that match no available tool are returned in `unknown`.
 */
export function pickTools(available: readonly AnyTool[], entries: readonly string[]): { tools: AnyTool[]; unknown: string[] } {
  if (entries.some((e) => e.trim() === "*")) return { tools: [...available], unknown: [] };
  const wanted = new Set<string>();
  const unknown: string[] = [];
  for (const entry of entries) {
    const name = entry.replace(/\(.*$/s, "").trim();
    const ours = CLAUDE_NAMES[name.toLowerCase()] ?? [name];
    const found = ours.filter((n) => available.some((t) => t.name === n));
    if (found.length) for (const n of found) wanted.add(n);
    else unknown.push(name);
  }
  return { tools: available.filter((t) => wanted.has(t.name)), unknown };
}
