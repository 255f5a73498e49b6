import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { CheckResult, EvalTask } from "./task.js";
import { TaskError } from "./task.js";

/**
 * The Terminal-Bench task folder, read as an evaluation task:
 *
 *   <task>/task.yaml            instruction (or instruction.md beside it), max_agent_timeout_sec, tags, …
 *   <task>/docker-compose.yaml  the container the task runs in (built from its Dockerfile)
 *   <task>/run-tests.sh         runs tests/ inside the container; pytest's summary decides
 *   <task>/tests/               the hidden tests
 *   <task>/solution.sh          the reference solution (played by `--model scripted` as one shell call)
 *
 * Running one needs Docker and the task's image: the checker brings the compose project up,
 * copies tests/ and run-tests.sh in, runs them, and takes the verdict from the exit status.
 */
export interface TerminalBenchConfig {
  instruction: string;
  timeoutSec: number;
  testTimeoutSec: number;
  tags: string[];
  difficulty?: string;
  category?: string;
}

/** The subset of YAML that task.yaml files use: scalars, quoted strings, block scalars (| |- >), lists. */
export function parseSimpleYaml(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const match = /^([A-Za-z_][\w-]*):\s*(.*)$/.exec(line);
    if (!match) continue;
    const [, key, rest] = match as unknown as [string, string, string];
    const value = rest.replace(/\s+#.*$/, "").trim();
    if (/^[|>][+-]?$/.test(value)) {
      const block: string[] = [];
      let indent: number | undefined;
      while (i + 1 < lines.length && (lines[i + 1]!.trim() === "" || /^\s/.test(lines[i + 1]!))) {
        const next = lines[++i]!;
        if (next.trim() && indent === undefined) indent = next.length - next.trimStart().length;
        block.push(next.slice(indent ?? 0));
      }
      let body = value.startsWith(">") ? block.join("\n").replace(/([^\n])\n(?=[^\n])/g, "$1 ") : block.join("\n");
      body = value.endsWith("-") ? body.replace(/\n+$/, "") : `${body.replace(/\n+$/, "")}\n`;
      out[key] = body;
    } else if (value === "") {
      const items: string[] = [];
      while (i + 1 < lines.length && /^\s*-\s+/.test(lines[i + 1]!)) items.push(unquote(lines[++i]!.replace(/^\s*-\s+/, "").trim()));
      out[key] = items.length ? items : "";
    } else if (value.startsWith("[") && value.endsWith("]")) {
      out[key] = value.slice(1, -1).split(",").map((s) => unquote(s.trim())).filter(Boolean);
    } else if (/^-?\d+(\.\d+)?$/.test(value)) out[key] = Number(value);
    else if (value === "true" || value === "false") out[key] = value === "true";
    else out[key] = unquote(value);
  }
  return out;
}

function unquote(s: string): string {
  if ((s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'"))) {
    const inner = s.slice(1, -1);
    return s.startsWith('"') ? inner.replace(/\\n/g, "\n").replace(/\\"/g, '"') : inner.replace(/''/g, "'");
  }
  return s;
}

export const isTerminalBenchTask = (dir: string) => existsSync(path.join(dir, "task.yaml")) && !existsSync(path.join(dir, "task.json"));

export function readTerminalBenchConfig(dir: string): TerminalBenchConfig {
  const file = path.join(dir, "task.yaml");
  const yaml = parseSimpleYaml(readFileSync(file, "utf8"));
  const instructionFile = path.join(dir, "instruction.md");
  const instruction = typeof yaml.instruction === "string" ? yaml.instruction : existsSync(instructionFile) ? readFileSync(instructionFile, "utf8") : "";
  if (!instruction.trim()) throw new TaskError(`${file}: no instruction (an instruction: field or instruction.md)`);
  if (!existsSync(path.join(dir, "run-tests.sh"))) throw new TaskError(`${dir}: a Terminal-Bench task needs run-tests.sh`);
  return {
    instruction: instruction.trim(),
    timeoutSec: typeof yaml.max_agent_timeout_sec === "number" ? yaml.max_agent_timeout_sec : 360,
    testTimeoutSec: typeof yaml.max_test_timeout_sec === "number" ? yaml.max_test_timeout_sec : 60,
    tags: Array.isArray(yaml.tags) ? (yaml.tags as string[]) : [],
    ...(typeof yaml.difficulty === "string" ? { difficulty: yaml.difficulty } : {}),
    ...(typeof yaml.category === "string" ? { category: yaml.category } : {}),
  };
}

/** A Terminal-Bench task folder as an EvalTask. */
export function loadTerminalBenchTask(dir: string, suite: string): EvalTask {
  const config = readTerminalBenchConfig(dir);
  const solutionFile = path.join(dir, "solution.sh");
  const solution = existsSync(solutionFile)
    ? JSON.stringify({ steps: [{ toolCalls: [{ name: "shell", args: { command: readFileSync(solutionFile, "utf8") } }] }, { text: "Ran the reference solution." }] })
    : undefined;
  return {
    id: `${suite}/${path.basename(dir)}`,
    suite,
    dir: path.resolve(dir),
    spec: { instruction: config.instruction, needs: ["docker"], timeoutSec: config.timeoutSec, tags: ["terminal-bench", ...config.tags, ...(config.difficulty ? [config.difficulty] : [])] },
    format: "terminal-bench",
    ...(solution ? { solution } : {}),
    checker: async () => runTerminalBenchTests(dir, config),
  };
}

export function loadTerminalBenchSuite(dir: string): EvalTask[] {
  const suite = path.basename(path.resolve(dir));
  if (isTerminalBenchTask(dir)) return [loadTerminalBenchTask(dir, suite)];
  return readdirSync(dir)
    .filter((name) => isTerminalBenchTask(path.join(dir, name)))
    .sort()
    .map((name) => loadTerminalBenchTask(path.join(dir, name), suite));
}

/** Brings the task's compose project up, runs its tests inside the container, brings it down. */
function runTerminalBenchTests(dir: string, config: TerminalBenchConfig): CheckResult {
  const project = `colleague-tb-${path.basename(dir).replace(/[^a-z0-9-]/gi, "").toLowerCase()}`;
  const compose = (args: string[], timeoutSec = 600) =>
    spawnSync("docker", ["compose", "-p", project, "-f", path.join(dir, "docker-compose.yaml"), ...args], { cwd: dir, encoding: "utf8", timeout: timeoutSec * 1000, env: { ...process.env, T_BENCH_TEST_DIR: "/tests" } });
  try {
    const up = compose(["up", "-d", "--build"]);
    if (up.status !== 0) return { pass: false, reasons: [`docker compose up failed: ${(up.stderr || up.error?.message || "").trim().split("\n").at(-1)}`] };
    const service = compose(["ps", "--services"]).stdout.trim().split("\n")[0] ?? "client";
    compose(["cp", path.join(dir, "tests"), `${service}:/tests`]);
    compose(["cp", path.join(dir, "run-tests.sh"), `${service}:/tests/run-tests.sh`]);
    const run = compose(["exec", "-T", "-e", "TEST_DIR=/tests", service, "bash", "/tests/run-tests.sh"], config.testTimeoutSec);
    if (run.status === 0) return { pass: true, reasons: [] };
    return { pass: false, reasons: [`run-tests.sh failed (exit ${run.status ?? run.signal})`, ...`${run.stdout}\n${run.stderr}`.trim().split("\n").slice(-5)] };
  } finally {
    compose(["down", "-v", "--remove-orphans"], 120);
  }
}
