import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { findProjectRoot } from "../context/instructions.js";
import { McpServers, McpSettings } from "../mcp/config.js";
import { readMcpJson } from "../mcp/mcp-json.js";
import { ConfigError } from "../model/resolve.js";
import { PolicyKeys } from "../policy/config.js";
import { didYouMean } from "./did-you-mean.js";
import { type JsoncDocument, parseJsonc } from "./jsonc.js";
import { checkRules } from "./rules.js";
import { steeringKeys, steeringValues, withoutSteering } from "./steering.js";
import { HooksConfig } from "../hooks/schema.js";
import { projectClaudeHookFiles } from "../hooks/sources.js";
import { isProjectTrusted, steeringHash } from "./trust.js";

const Effort = z.enum(["low", "medium", "high", "max", "auto"]);

const Provider = z
  .object({
    apiKey: z.string().optional(),
    baseURL: z.string().url().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    /** Use the model's long-context (1M) window where it has one. */
    longContext: z.boolean().optional(),
    /** Wait this long for response headers (connect included), ms. */
    timeoutMs: z.number().int().positive().optional(),
    /** Drop and retry a response stream that sends nothing for this long, ms. */
    idleTimeoutMs: z.number().int().positive().optional(),
    /** The longest `retry-after` to wait out, ms; a provider asking for more fails the request. */
    maxRetryAfterMs: z.number().int().nonnegative().optional(),
    /** `compatible` only: vendor quirks (see docs/configuration.md). */
    compat: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** The context engine (docs/configuration.md, `context`). */
const Share = z.number().gt(0).lt(1);
export const ContextConfig = z
  .object({
    compactAt: Share.optional(),
    keepRecent: Share.optional(),
    clearAt: Share.optional(),
    keepToolResults: z.number().int().nonnegative().optional(),
    native: z.boolean().optional(),
    repoMapAtStart: z.number().int().nonnegative().optional(),
  })
  .strict();

/**
 * A model the catalog does not know (newer than this colleague, or a fine-tune), described in
 * config under its id: `"models": { "anthropic:claude-opus-4-7": { … } }`. Omitted facts take
 * the provider's defaults (see defaultModelInfo).
 */
const Price = z.number().nonnegative();
export const ModelSpec = z
  .object({
    contextWindow: z.number().int().positive().optional(),
    maxOutput: z.number().int().positive().optional(),
    /** USD per million tokens; cacheRead / cacheWrite default to 10% / 125% of input. */
    price: z.object({ input: Price, output: Price, cacheRead: Price.optional(), cacheWrite: Price.optional() }).strict().optional(),
    /** How the model thinks: adaptive (Anthropic), budget (Anthropic thinking budgets), effort (OpenAI), none. */
    reasoning: z.enum(["adaptive", "budget", "effort", "none"]).optional(),
    /** Effort levels the API accepts natively. */
    efforts: z.array(z.string()).optional(),
    images: z.boolean().optional(),
    tools: z.boolean().optional(),
    /** Server-side compaction (Anthropic compaction blocks, OpenAI /responses/compact). */
    compaction: z.boolean().optional(),
  })
  .strict();
export type ModelSpec = z.infer<typeof ModelSpec>;

export const ConfigFile = z
  .object({
    model: z.string().optional(),
    models: z.record(z.string(), ModelSpec).optional(),
    effort: Effort.optional(),
    maxSteps: z.number().int().positive().optional(),
    budgetUsd: z.number().positive().optional(),
    budgetTokens: z.number().int().positive().optional(),
    context: ContextConfig.optional(),
    /** Workspace snapshots before each change, for rewind (src/checkpoints/). */
    checkpoints: z.object({ enabled: z.boolean().optional(), maxMb: z.number().positive().optional() }).strict().optional(),
    /**
     * Errors from language servers after edits (src/diagnostics/). Off unless turned on; a
     * language server runs the project's code (its compiler, plugins), so a project's setting needs trust.
     */
    diagnostics: z
      .object({
        enabled: z.boolean().optional(),
        timeoutMs: z.number().int().positive().optional(),
        servers: z
          .record(z.string(), z.object({ command: z.array(z.string()).min(1), extensions: z.array(z.string().regex(/^\.\w+$/)).min(1), languageId: z.string().optional() }).strict())
          .optional(),
      })
      .strict()
      .optional(),
    /** The search service behind the web_search tool (src/tools/search-providers.ts); no tool without it. */
    webSearch: z
      .object({
        provider: z.enum(["brave", "tavily", "searxng"]),
        url: z.string().url().optional(),
        apiKey: z.string().optional(),
        maxResults: z.number().int().min(1).max(20).optional(),
      })
      .strict()
      .optional(),
    /** Where sessions are stored: a SQLite file (default) or postgres://… (read from the user's config only; src/store/open.ts). */
    store: z.string().optional(),
    providers: z
      .object({ anthropic: Provider.optional(), openai: Provider.optional(), compatible: Provider.optional() })
      .strict()
      .optional(),
    /** MCP servers in Claude Code's shape (src/mcp/config.ts); a project's need trust. */
    mcpServers: McpServers.optional(),
    mcp: McpSettings.optional(),
    /** User hooks in Claude Code's shape (src/hooks/, docs/hooks.md); a project's run only once it is trusted. */
    hooks: HooksConfig.optional(),
    // Safety keys (issue 6): permissions, sandbox, monitors, honesty, auditLog; see src/policy/config.ts.
    ...PolicyKeys,
  })
  .strict();
export type ConfigFile = z.infer<typeof ConfigFile>;

export const DEFAULT_MODEL = "anthropic:claude-opus-4-6";
/**
 * High enough for a task that runs for hours: a session is capped by its budgets (--budget-usd,
 * --budget-tokens) and by the person, and a step limit only guards against a loop that never
 * ends. 100 ended real sessions half way.
 */
export const DEFAULT_MAX_STEPS = 10_000;

/** ~/.colleague, or $COLLEAGUE_HOME: user config, user AGENTS.md and the session store. */
export function colleagueHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.COLLEAGUE_HOME ? path.resolve(env.COLLEAGUE_HOME) : path.join(os.homedir(), ".colleague");
}

export function storePath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(colleagueHome(env), "sessions.db");
}

/** The user's own config (~/.colleague/config.json) alone, for settings a project may not change. */
export function readUserConfig(env: NodeJS.ProcessEnv = process.env): ConfigFile {
  return readConfigFile(path.join(colleagueHome(env), "config.json"));
}

export function readConfigFile(file: string): ConfigFile {
  if (!existsSync(file)) return {};
  let doc: JsoncDocument;
  try {
    doc = parseJsonc(readFileSync(file, "utf8"), file);
  } catch (error) {
    throw new ConfigError(`${(error as Error).message} (config files are JSON with comments and trailing commas allowed)`);
  }
  const parsed = ConfigFile.safeParse(doc.value);
  if (!parsed.success) throw new ConfigError(describeIssue(parsed.error.issues[0]!, doc));
  checkRules(parsed.data.permissions, doc);
  return parsed.data;
}

/** `file:line:col: key: what is wrong`, with the key that was probably meant for an unknown one. */
function describeIssue(issue: z.core.$ZodIssue, doc: JsoncDocument): string {
  const where = issue.path.length ? issue.path.join(".") : "top level";
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0]!;
    const guess = didYouMean(key, keysAt(ConfigFile, issue.path));
    const name = [...issue.path, key].join(".");
    return `${doc.locate([...issue.path, key], true)}: unknown key "${name}"${guess ? `; did you mean "${guess}"?` : ""} (see docs/configuration.md)`;
  }
  return `${doc.locate(issue.path)}: ${where}: ${issue.message}`;
}

/** The keys a config object accepts at `path` (through optional wrappers and records). */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: z.ZodType | undefined = schema;
  for (const step of [...path, undefined]) {
    while (node instanceof z.ZodOptional) node = node.unwrap() as z.ZodType;
    if (step === undefined) break;
    if (node instanceof z.ZodObject) node = (node.shape as Record<string, z.ZodType>)[String(step)];
    else if (node instanceof z.ZodRecord) node = node.valueType as z.ZodType;
    else return [];
  }
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

/** Project settings override the user's, key by key; provider blocks merge field by field. */
function merge(user: ConfigFile, project: ConfigFile): ConfigFile {
  const providers: NonNullable<ConfigFile["providers"]> = {};
  for (const name of ["anthropic", "openai", "compatible"] as const) {
    const merged = { ...user.providers?.[name], ...project.providers?.[name] };
    if (Object.keys(merged).length) providers[name] = merged;
  }
  const context = { ...user.context, ...project.context };
  const models = { ...user.models, ...project.models };
  const mcpServers = { ...user.mcpServers, ...project.mcpServers };
  return {
    ...user,
    ...project,
    providers,
    ...(Object.keys(mcpServers).length ? { mcpServers } : {}),
    ...(Object.keys(context).length ? { context } : {}),
    ...(Object.keys(models).length ? { models } : {}),
  };
}

export interface LoadedConfig {
  config: ConfigFile;
  /** The files that were read, for `colleague doctor`-style messages. */
  files: string[];
  /** The project root (the folder with .git above `cwd`, or `cwd`), the key trust is stored under. */
  projectRoot: string;
  /** Steering settings of an untrusted project that were left out, per file. */
  ignored: IgnoredSettings[];
}

export interface IgnoredSettings {
  file: string;
  keys: string[];
}

/** The project's config files: colleague.json at the project root and in `cwd`. */
export function projectConfigFiles(cwd: string): { root: string; files: string[] } {
  const root = findProjectRoot(cwd);
  return { root, files: [...new Set([path.join(root, "colleague.json"), path.join(path.resolve(cwd), "colleague.json")])] };
}

/**
 * The project's config layers in the order they apply: colleague.json at the root and in `cwd`,
 * then the MCP servers of `.mcp.json` at the root (read as a layer that sets only `mcpServers`).
 */
function projectLayers(cwd: string): { root: string; layers: Array<{ file: string; config: ConfigFile }> } {
  const { root, files } = projectConfigFiles(cwd);
  const layers = files.filter((file) => existsSync(file)).map((file) => ({ file, config: readConfigFile(file) }));
  const mcpJson = readMcpJson(root);
  if (mcpJson && Object.keys(mcpJson.servers).length) layers.push({ file: mcpJson.file, config: { mcpServers: mcpJson.servers } });
  return { root, layers };
}

/**
 * Reads ~/.colleague/config.json, then colleague.json at the project root and in `cwd`. A
 * project's settings that steer keys or run code are left out unless the user trusts it.
 */
export function loadConfig(cwd: string, env: NodeJS.ProcessEnv = process.env, home: string = colleagueHome(env)): LoadedConfig {
  const userFile = path.join(home, "config.json");
  const { root, layers } = projectLayers(cwd);
  let config = readConfigFile(userFile);
  const files = existsSync(userFile) ? [userFile] : [];
  const ignored: IgnoredSettings[] = [];
  let trusted: boolean | undefined;
  const isTrusted = () => {
    trusted ??= isProjectTrusted(home, root);
    return trusted;
  };
  for (const { file, config: layer } of layers) {
    let project = layer;
    const keys = steeringKeys(project);
    if (keys.length && !isTrusted()) {
      project = withoutSteering(project);
      ignored.push({ file, keys });
    }
    config = merge(config, project);
    files.push(file);
  }
  return { config, files, projectRoot: root, ignored };
}

/** The steering settings a project's files set (trusted or not), and a hash of their values. */
export function projectSteering(cwd: string): { root: string; settings: IgnoredSettings[]; hash: string } {
  const { root, layers } = projectLayers(cwd);
  const settings: IgnoredSettings[] = [];
  const values: Record<string, unknown> = {};
  for (const { file, config: project } of layers) {
    const keys = steeringKeys(project);
    if (!keys.length) continue;
    settings.push({ file, keys });
    values[file] = steeringValues(project);
  }
  // Claude Code's project settings run hooks too, so trusting the project covers them.
  for (const { file, hooks } of projectClaudeHookFiles(root)) {
    settings.push({ file, keys: ["hooks"] });
    values[file] = { hooks };
  }
  return { root, settings, hash: steeringHash(values) };
}

/** One line for a face: which settings were left out, and how to trust the project. */
export function ignoredNotice(loaded: Pick<LoadedConfig, "ignored" | "projectRoot">): string | undefined {
  if (!loaded.ignored.length) return undefined;
  const what = loaded.ignored.map((i) => `${i.keys.join(", ")} (${i.file})`).join("; ");
  const root = /[\s"'$`\\]/.test(loaded.projectRoot) ? `'${loaded.projectRoot.replaceAll("'", "'\\''")}'` : loaded.projectRoot;
  return `ignored ${what}: a project's config cannot point your keys elsewhere or run code until you trust it (colleague trust add ${root})`;
}
