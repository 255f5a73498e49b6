/** A throwaway workspace on disk, with a sibling folder outside it for escape tests. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach } from "vitest";
import { type AnyTool, runTool, type ToolContext, type ToolResult } from "../../src/tools/define.js";
import { localFileSystem, localProcessRunner } from "../../src/tools/local-io.js";
import { Workspace } from "../../src/tools/workspace.js";

export interface Sandbox {
  /** The workspace root (real path). */
  root: string;
  /** A folder beside the workspace holding `secret.txt`. */
  outside: string;
  ctx: ToolContext;
  /** Writes a file inside the workspace, creating folders. */
  write(rel: string, content: string | Uint8Array): string;
  /** Runs a tool through runTool (validation, errors, truncation) and flattens the text. */
  call(tool: AnyTool, args: unknown, overrides?: Partial<ToolContext>): Promise<Called>;
}

export interface Called extends ToolResult {
  text: string;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

export function sandbox(): Sandbox {
  const base = mkdtempSync(path.join(os.tmpdir(), "colleague-tools-"));
  cleanups.push(() => rmSync(base, { recursive: true, force: true }));
  const outside = path.join(base, "outside");
  const workspace = new Workspace(mkdirp(path.join(base, "ws")));
  mkdirp(outside);
  writeFileSync(path.join(outside, "secret.txt"), "secret\n");
  const ctx: ToolContext = {
    workspace,
    fs: localFileSystem,
    runner: localProcessRunner,
    signal: new AbortController().signal,
    sessionId: "test-session",
    callId: "test-call",
  };
  return {
    root: workspace.root,
    outside,
    ctx,
    write(rel, content) {
      const file = path.join(workspace.root, rel);
      mkdirp(path.dirname(file));
      writeFileSync(file, content);
      return file;
    },
    async call(tool, args, overrides) {
      const result = await runTool(tool, args, { ...ctx, ...overrides });
      const text = result.content.map((p) => (p.type === "text" ? p.text : `[${p.type}]`)).join("\n");
      return { ...result, text };
    },
  };
}

function mkdirp(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}
