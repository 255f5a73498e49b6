import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { importFile } from "../vendor/load.js";
import { type Site, startSite } from "./site.js";

/**
 * An evaluation task is a folder, so a suite is plain files that anyone can add to:
 *
 *   <suite>/<task-id>/
 *     task.json      what the agent is asked, what the task needs from the machine
 *     workspace/     copied into a fresh workspace for every run (optional)
 *     site/          served on 127.0.0.1 while the task runs; `{{site}}` in the instruction
 *                    becomes its address; form posts are recorded (optional)
 *     check.mjs      `export default async ({ workspace, site }) => ({ pass, reasons })`
 *     solution.json  a scripted-model scenario that solves the task (proves the task and its
 *                    checker; `{{site}}` and `{{workspace}}` are filled in like the instruction)
 */
export const TaskSpec = z
  .object({
    instruction: z.string().min(1),
    /** What the machine must have: "chromium", "xvfb", "xdotool", "libreoffice", "pdftoppm", "git", … */
    needs: z.array(z.string()).default([]),
    /** Wall-clock limit for one run, seconds. */
    timeoutSec: z.number().positive().default(600),
    tags: z.array(z.string()).default([]),
    /** Step limit for one run. */
    maxSteps: z.number().int().positive().optional(),
  })
  .strict();

export interface EvalTask {
  /** `<suite>/<task-id>`. */
  id: string;
  suite: string;
  dir: string;
  spec: z.infer<typeof TaskSpec>;
  /** A checker given in code instead of check.mjs (tasks read from another format). */
  checker?: (context: CheckContext) => Promise<CheckResult>;
  /** The scripted solution as scenario JSON text, instead of solution.json. */
  solution?: string;
  /** Where the task came from, when not this folder format (e.g. "terminal-bench"). */
  format?: string;
}

export interface CheckResult {
  pass: boolean;
  /** Why it failed (or notes when it passed): one short line each. */
  reasons: string[];
}

export interface CheckContext {
  workspace: string;
  site?: Site;
}

/** A task made ready to run: its own workspace, its site up, placeholders filled. */
export interface PreparedTask {
  task: EvalTask;
  workspace: string;
  instruction: string;
  site?: Site;
  /** Fills `{{site}}` and `{{workspace}}` in any text (instructions, scripted solutions). */
  fill(text: string): string;
  check(): Promise<CheckResult>;
  close(): Promise<void>;
}

export class TaskError extends Error {}

/** The tasks of a suite folder, sorted by id; a malformed task.json is a TaskError naming the file. */
export function loadSuite(dir: string): EvalTask[] {
  const suite = path.basename(path.resolve(dir));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new TaskError(`no suite at ${dir}`);
  return readdirSync(dir)
    .filter((name) => existsSync(path.join(dir, name, "task.json")))
    .sort()
    .map((name) => loadTask(path.join(dir, name), suite));
}

export function loadTask(dir: string, suite = path.basename(path.dirname(path.resolve(dir)))): EvalTask {
  const file = path.join(dir, "task.json");
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new TaskError(`${file}: ${(error as Error).message}`);
  }
  const parsed = TaskSpec.safeParse(raw);
  if (!parsed.success) throw new TaskError(`${file}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`);
  if (!existsSync(path.join(dir, "check.mjs"))) throw new TaskError(`${dir}: a task needs a check.mjs`);
  return { id: `${suite}/${path.basename(dir)}`, suite, dir: path.resolve(dir), spec: parsed.data };
}

/**
 * Copies the task's workspace into a fresh folder under `root` (default: the temp folder) and
 * starts its site. With `workspace`, the run happens in that folder: seeded when it is new, taken
 * as it is when it already exists (a run that continues where a killed worker left it).
 */
export async function prepareTask(task: EvalTask, root = os.tmpdir(), workspace?: string): Promise<PreparedTask> {
  const fresh = !workspace || !existsSync(workspace);
  if (workspace) mkdirSync(workspace, { recursive: true });
  else workspace = mkdtempSync(path.join(root, `${task.id.replace(/\W+/g, "-")}-`));
  const seed = path.join(task.dir, "workspace");
  if (fresh && existsSync(seed)) cpSync(seed, workspace, { recursive: true });
  const siteDir = path.join(task.dir, "site");
  const site = existsSync(siteDir) ? await startSite(siteDir) : undefined;
  const fill = (text: string) => text.replaceAll("{{site}}", site?.url ?? "").replaceAll("{{workspace}}", workspace);
  return {
    task,
    workspace,
    instruction: fill(task.spec.instruction),
    ...(site ? { site } : {}),
    fill,
    check: () => checkTask(task, { workspace, ...(site ? { site } : {}) }),
    close: async () => {
      await site?.close();
    },
  };
}

/** Runs the task's checker; a checker that throws fails the task with its message. */
export async function checkTask(task: EvalTask, context: CheckContext): Promise<CheckResult> {
  try {
    if (task.checker) return await task.checker(context);
    const module = (await importFile(path.join(task.dir, "check.mjs"))) as { default: (c: CheckContext) => Promise<CheckResult> | CheckResult };
    const result = await module.default(context);
    return { pass: result.pass === true, reasons: Array.isArray(result.reasons) ? result.reasons.map(String) : [] };
  } catch (error) {
    return { pass: false, reasons: [`the checker failed: ${(error as Error).message}`] };
  }
}

/** The task's scripted solution with placeholders filled, as scenario JSON text (undefined when it has none). */
export function solutionText(prepared: PreparedTask): string | undefined {
  if (prepared.task.solution) return prepared.fill(prepared.task.solution);
  const file = path.join(prepared.task.dir, "solution.json");
  return existsSync(file) ? prepared.fill(readFileSync(file, "utf8")) : undefined;
}
