import { accessSync, constants } from "node:fs";
import path from "node:path";

/** A language server colleague knows how to start, and the files it checks. */
export interface ServerSpec {
  name: string;
  command: string[];
  extensions: string[];
  /** The LSP languageId of each extension (default: the server's first). */
  languageIds: Record<string, string>;
}

const TS_IDS = { ".ts": "typescript", ".mts": "typescript", ".cts": "typescript", ".tsx": "typescriptreact", ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascriptreact" };

export const KNOWN_SERVERS: ServerSpec[] = [
  { name: "typescript-language-server", command: ["typescript-language-server", "--stdio"], extensions: Object.keys(TS_IDS), languageIds: TS_IDS },
  { name: "pyright", command: ["pyright-langserver", "--stdio"], extensions: [".py", ".pyi"], languageIds: { ".py": "python", ".pyi": "python" } },
  { name: "gopls", command: ["gopls"], extensions: [".go"], languageIds: { ".go": "go" } },
  { name: "rust-analyzer", command: ["rust-analyzer"], extensions: [".rs"], languageIds: { ".rs": "rust" } },
];

export interface ConfiguredServer {
  command: string[];
  extensions: string[];
  languageId?: string | undefined;
}

/** The servers for a workspace: configured ones first (they win for their extensions), then the known ones. */
export function serverSpecs(configured: Record<string, ConfiguredServer> = {}): ServerSpec[] {
  const own = Object.entries(configured).map(([name, s]) => ({
    name,
    command: s.command,
    extensions: s.extensions,
    languageIds: Object.fromEntries(s.extensions.map((e) => [e, s.languageId ?? name])),
  }));
  return [...own, ...KNOWN_SERVERS];
}

export function serverFor(file: string, specs: ServerSpec[]): ServerSpec | undefined {
  const ext = path.extname(file).toLowerCase();
  return specs.find((s) => s.extensions.includes(ext));
}

/** Whether the server's program can be run: an absolute or relative path that is executable, or a name on PATH. */
export function installed(spec: ServerSpec, env: NodeJS.ProcessEnv = process.env): boolean {
  const program = spec.command[0];
  if (!program) return false;
  const runnable = (file: string) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (program.includes("/")) return runnable(program);
  return (env.PATH ?? "").split(path.delimiter).some((dir) => dir && runnable(path.join(dir, program)));
}
