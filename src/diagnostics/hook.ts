import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { AgentHooks } from "../agent/loop.js";
import type { ToolCallPart } from "../model/types.js";
import { parsePatch } from "../tools/patch.js";
import type { Diagnostic } from "./lsp.js";
import { LspConnection } from "./lsp.js";
import { type ConfiguredServer, installed, type ServerSpec, serverFor, serverSpecs } from "./servers.js";

export interface DiagnosticsSettings {
  enabled?: boolean | undefined;
  /** How long to wait for a server's verdict on one edit (default 5 s). */
  timeoutMs?: number | undefined;
  servers?: Record<string, ConfiguredServer> | undefined;
}

const EDIT_TOOLS = new Set(["edit_file", "write_file", "apply_patch"]);
const MAX_LINES = 20;

/**
 * Diagnostics after edits: when a language server for the edited file's type is installed, the
 * errors it reports that were not there before the edit are added to the edit's tool result, so
 * the model fixes what it broke without another tool call. Servers start on the first edit of
 * their file type and stop when the session ends; one that cannot start or answer is left alone
 * (the edit's result says so once) and never fails the edit.
 */
export class EditDiagnostics {
  private readonly specs: ServerSpec[];
  private readonly servers = new Map<string, Promise<LspConnection | undefined>>();
  private readonly failures = new Map<string, string>();
  private readonly told = new Set<string>();
  /** Errors last seen per file and the text they belong to: the baseline of the next edit. */
  private readonly known = new Map<string, { text: string; errors: Diagnostic[] }>();
  private readonly timeoutMs: number;

  constructor(
    private readonly root: string,
    settings: DiagnosticsSettings,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.specs = serverSpecs(settings.servers);
    this.timeoutMs = settings.timeoutMs ?? 5000;
  }

  /** Wraps the session's hooks: a baseline before an edit, new errors after it. */
  wrap(hooks: AgentHooks): AgentHooks {
    const before = hooks.beforeToolCall?.bind(hooks);
    const after = hooks.afterToolCall?.bind(hooks);
    return {
      ...hooks,
      beforeToolCall: async (call, tool) => {
        const gate = await before?.(call, tool);
        if (!gate?.block && EDIT_TOOLS.has(call.name)) await Promise.all(this.files(call).map((f) => this.baseline(f)));
        return gate;
      },
      afterToolCall: async (call, result) => {
        const changed = (await after?.(call, result)) ?? result;
        if (changed.isError || !EDIT_TOOLS.has(call.name)) return changed;
        const notes = (await Promise.all(this.files(call).map((f) => this.newErrors(f)))).filter((n): n is string => Boolean(n));
        return notes.length ? { ...changed, content: [...changed.content, { type: "text", text: notes.join("\n\n") }] } : changed;
      },
    };
  }

  async close(): Promise<void> {
    const servers = await Promise.all(this.servers.values());
    await Promise.all(servers.map((s) => s?.close()));
  }

  private files(call: ToolCallPart): string[] {
    const args = (call.args ?? {}) as Record<string, unknown>;
    const paths =
      call.name === "apply_patch"
        ? (() => {
            try {
              return parsePatch(String(args.patch ?? "")).map((op) => (op.type === "update" && op.moveTo ? op.moveTo : op.path));
            } catch {
              return [];
            }
          })()
        : [String(args.path ?? "")];
    return paths
      .filter(Boolean)
      .map((p) => path.resolve(this.root, p))
      .filter((f) => f.startsWith(this.root + path.sep) && serverFor(f, this.specs) !== undefined);
  }

  private async baseline(file: string): Promise<void> {
    if (!existsSync(file)) {
      this.known.set(file, { text: "", errors: [] });
      return;
    }
    const text = readFileSync(file, "utf8");
    if (this.known.get(file)?.text === text) return;
    const errors = await this.errorsOf(file, text);
    this.known.set(file, { text, errors: errors ?? [] });
  }

  private async newErrors(file: string): Promise<string | undefined> {
    if (!existsSync(file)) return undefined;
    const text = readFileSync(file, "utf8");
    const errors = await this.errorsOf(file, text);
    const spec = serverFor(file, this.specs)!;
    if (errors === undefined) {
      const why = this.failures.get(spec.name);
      if (!why || this.told.has(spec.name)) return undefined;
      this.told.add(spec.name);
      return `(No diagnostics: ${why}.)`;
    }
    const before = this.known.get(file)?.errors ?? [];
    this.known.set(file, { text, errors });
    const fresh = subtract(errors, before);
    if (!fresh.length) return undefined;
    const rel = path.relative(this.root, file);
    const lines = fresh.slice(0, MAX_LINES).map((d) => `${rel}:${d.range.start.line + 1}:${d.range.start.character + 1} error${d.code !== undefined ? ` ${d.source === "typescript" ? "TS" : ""}${d.code}` : ""}: ${d.message.split("\n")[0]}`);
    const more = fresh.length > MAX_LINES ? `\n… and ${fresh.length - MAX_LINES} more` : "";
    return `${spec.name} reports ${fresh.length} new error${fresh.length === 1 ? "" : "s"} after this edit:\n${lines.join("\n")}${more}`;
  }

  /** The file's errors for this text, or undefined when its server is missing, failed or too slow. */
  private async errorsOf(file: string, text: string): Promise<Diagnostic[] | undefined> {
    const spec = serverFor(file, this.specs);
    if (!spec) return undefined;
    const server = await this.server(spec);
    if (!server) return undefined;
    try {
      const all = await server.diagnose(file, spec.languageIds[path.extname(file).toLowerCase()] ?? spec.name, text, this.timeoutMs);
      return all.filter((d) => (d.severity ?? 1) === 1);
    } catch (error) {
      this.failures.set(spec.name, (error as Error).message);
      return undefined;
    }
  }

  private server(spec: ServerSpec): Promise<LspConnection | undefined> {
    let started = this.servers.get(spec.name);
    if (!started) {
      started = (async () => {
        // Not installed: nothing to say to the model, which cannot install it either.
        if (!installed(spec, this.env)) return undefined;
        const connection = new LspConnection(spec.name, spec.command, this.root, this.env);
        try {
          await connection.initialize(this.timeoutMs * 4);
          return connection;
        } catch (error) {
          this.failures.set(spec.name, (error as Error).message);
          await connection.close();
          return undefined;
        }
      })();
      this.servers.set(spec.name, started);
    }
    return started;
  }
}

/** The diagnostics of `after` that `before` does not account for (matched by message and code, not position: edits move lines). */
function subtract(after: Diagnostic[], before: Diagnostic[]): Diagnostic[] {
  const counts = new Map<string, number>();
  const key = (d: Diagnostic) => `${d.code ?? ""}\u0000${d.message}`;
  for (const d of before) counts.set(key(d), (counts.get(key(d)) ?? 0) + 1);
  return after.filter((d) => {
    const left = counts.get(key(d)) ?? 0;
    if (left > 0) counts.set(key(d), left - 1);
    return left === 0;
  });
}
