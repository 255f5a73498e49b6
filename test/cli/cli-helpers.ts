import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AgentEvent } from "../../src/agent/events.js";

export const BIN = path.resolve("bin/colleague.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** An environment with no provider keys or endpoints, a private COLLEAGUE_HOME and instant retries. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(ANTHROPIC|OPENAI|COMPATIBLE|COLLEAGUE)_/.test(k)) continue;
    env[k] = v;
  }
  return {
    ...env,
    NO_COLOR: "1",
    COLLEAGUE_HOME: mkdtempSync(path.join(os.tmpdir(), "colleague-home-")),
    COLLEAGUE_RETRY_BASE_MS: "1",
    // Issue 6: runs without a TTY deny what needs approval; these tests exercise the tools, not permissions.
    COLLEAGUE_PERMISSION_MODE: "full-auto",
    ...extra,
  };
}

export function startCli(args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string }): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], {
    env: options.env,
    cwd: options.cwd ?? process.cwd(),
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export function runCli(args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string }): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = startCli(args, options);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d));
    child.stderr!.on("data", (d: Buffer) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export function jsonEvents(stdout: string): AgentEvent[] {
  return stdout
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as AgentEvent);
}

/** Runs the CLI with `input` piped to its stdin (then closed), as `echo … | colleague …` does. */
export function runCliWithInput(args: string[], input: string, options: { env: NodeJS.ProcessEnv; cwd?: string }): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: options.env, cwd: options.cwd ?? process.cwd(), stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d));
    child.stderr!.on("data", (d: Buffer) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin!.end(input);
  });
}

/** A scenario file in a temp folder, for `--model scripted:FILE`. */
export function scenarioFile(scenario: unknown): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "colleague-scenario-")), "scenario.json");
  writeFileSync(file, JSON.stringify(scenario));
  return file;
}
