import path from "node:path";

/**
 * colleague's tools under the names and input shapes Claude Code's hook scripts expect, so a
 * script that tests `tool_name == "Bash"` and reads `tool_input.command` works unchanged. Tools
 * without a counterpart (apply_patch, repo_map, team tools) keep their own name and arguments;
 * MCP tools are `mcp__server__tool` in both.
 */
type Args = Record<string, unknown>;

interface Mapping {
  claude: string;
  /** colleague's arguments → Claude Code's tool_input (paths made absolute). */
  toClaude(args: Args, workspace: string): Args;
  /** Claude Code's updatedInput → colleague's arguments. */
  fromClaude(input: Args): Args;
}

const abs = (workspace: string, p: unknown) => (typeof p === "string" ? path.resolve(workspace, p) : p);

/** Renames keys, keeping every other field as it is. */
function rename(args: Args, names: Record<string, string>): Args {
  const out: Args = {};
  for (const [key, value] of Object.entries(args)) if (value !== undefined) out[names[key] ?? key] = value;
  return out;
}

const FILE = { path: "file_path" };
const FILE_BACK = { file_path: "path" };

const MAPPINGS: Record<string, Mapping> = {
  shell: {
    claude: "Bash",
    toClaude: (a) => rename(a, { timeout_ms: "timeout" }),
    fromClaude: (a) => rename(a, { timeout: "timeout_ms" }),
  },
  edit_file: {
    claude: "Edit",
    toClaude: (a, ws) => ({ ...rename(a, FILE), file_path: abs(ws, a.path) }),
    fromClaude: (a) => rename(a, FILE_BACK),
  },
  write_file: {
    claude: "Write",
    toClaude: (a, ws) => ({ ...rename(a, FILE), file_path: abs(ws, a.path) }),
    fromClaude: (a) => rename(a, FILE_BACK),
  },
  read_file: {
    claude: "Read",
    toClaude: (a, ws) => ({ ...rename(a, FILE), file_path: abs(ws, a.path) }),
    fromClaude: (a) => rename(a, FILE_BACK),
  },
  glob: { claude: "Glob", toClaude: (a) => a, fromClaude: (a) => a },
  grep: {
    claude: "Grep",
    toClaude: (a) => rename(a, { ignore_case: "-i", context: "-C", max_results: "head_limit" }),
    fromClaude: (a) => rename(a, { "-i": "ignore_case", "-C": "context", head_limit: "max_results" }),
  },
  list: { claude: "LS", toClaude: (a, ws) => ({ ...a, path: abs(ws, a.path ?? ".") }), fromClaude: (a) => a },
  web_fetch: { claude: "WebFetch", toClaude: (a) => a, fromClaude: (a) => a },
  web_search: { claude: "WebSearch", toClaude: (a) => a, fromClaude: (a) => a },
  task: { claude: "Task", toClaude: (a) => a, fromClaude: (a) => a },
};

/** Claude Code's name for a colleague tool (its own name when it has no counterpart). */
export function claudeToolName(name: string): string {
  return MAPPINGS[name]?.claude ?? name;
}

export function claudeToolInput(name: string, args: unknown, workspace: string): unknown {
  const mapping = MAPPINGS[name];
  if (!mapping || !args || typeof args !== "object") return args;
  return mapping.toClaude(args as Args, workspace);
}

/** A hook's updatedInput as colleague's arguments, laid over the call's own (fields it leaves out stay). */
export function colleagueToolArgs(name: string, original: unknown, updated: Args): Args {
  const base = original && typeof original === "object" ? (original as Args) : {};
  const mapping = MAPPINGS[name];
  return { ...base, ...(mapping ? mapping.fromClaude(updated) : updated) };
}
