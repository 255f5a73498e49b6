import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The checker of a coding task: the agent's workspace is copied next to the task's hidden tests
 * (kept outside workspace/, so the agent never sees them), and `command` runs there. The task
 * passes when it exits 0; otherwise the last lines of its output are the reasons.
 */
export function runHidden(checkUrl, workspace, command, options = {}) {
  const taskDir = path.dirname(fileURLToPath(checkUrl));
  const dir = mkdtempSync(path.join(os.tmpdir(), "colleague-check-"));
  try {
    cpSync(workspace, dir, { recursive: true, filter: (src) => path.basename(src) !== ".git" });
    const hidden = path.join(taskDir, "hidden");
    if (existsSync(hidden)) cpSync(hidden, dir, { recursive: true });
    const env = { ...process.env, ...options.env, PYTHONDONTWRITEBYTECODE: "1" };
    const result = spawnSync(command[0], command.slice(1), { cwd: dir, env, encoding: "utf8", timeout: options.timeoutMs ?? 120_000 });
    if (result.error) return { pass: false, reasons: [`${command[0]}: ${result.error.message}`] };
    if (result.status === 0) return { pass: true, reasons: [] };
    const lines = `${result.stdout}\n${result.stderr}`.split("\n").map((l) => l.trim()).filter(Boolean);
    return { pass: false, reasons: [`hidden tests failed (exit ${result.status ?? result.signal})`, ...lines.slice(-6)] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The TypeScript compiler this package carries, for tasks in TypeScript. */
export function typescriptPath() {
  return fileURLToPath(import.meta.resolve("typescript"));
}
