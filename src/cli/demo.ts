import { cpSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createScriptedModel, loadScenario } from "../model/scripted.js";
import { parseFlags } from "./args.js";
import { COMMANDS } from "./commands.js";
import { eventPrinter, exitCodeFor } from "./output.js";
import { packageRoot } from "./paths.js";
import { styleFor } from "./render.js";
import { cliHost, interruptible } from "./setup.js";

const TASK = "The discount test in this repo fails. Find the cause, fix it, run the tests, and note the fix in a changelog.";

/**
 * `colleague demo`: no keys, no network. Copies the bundled sample repo (with a failing test)
 * to a temp folder and lets the real tools act on it, driven by a scripted model, through the
 * same host (and so the same policy) as any other session.
 */
export async function demoCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, COMMANDS.demo.flags, "demo");
  const root = packageRoot();
  const repo = mkdtempSync(path.join(os.tmpdir(), "colleague-demo-"));
  cpSync(path.join(root, "examples", "demo-repo"), repo, { recursive: true });
  const scenario = loadScenario(path.join(root, "examples", "demo", "scenario.json"));
  if (values.fast) scenario.chunkDelayMs = 0;
  const model = createScriptedModel(scenario, "scripted:demo");
  const s = styleFor(process.stdout);
  const say = (text: string) => {
    if (!values.json) process.stdout.write(`${text}\n`);
  };
  say(s.bold("colleague demo"));
  say(s.dim("The model here is SCRIPTED: it replays examples/demo/scenario.json. The tools are real —"));
  say(s.dim(`they read, edit and run tests in a copy of a sample repo: ${repo}\n`));
  // The script's edits and commands are known and the repo is a throwaway copy, so the demo runs
  // them without asking, in the sandbox where one works here (unsandboxed, with a notice, where none does).
  const host = cliHost();
  const { signal, dispose } = interruptible();
  try {
    const result = await host.startSession(
      { task: TASK, cwd: repo, model, maxSteps: 20, permissionMode: "full-auto", sandbox: "if-available" },
      { onEvent: eventPrinter(values.json === true), signal },
    );
    say(`\nThe repo is left at ${repo} — look at src/cart.js and CHANGELOG.md.`);
    say("To put a real model to work:");
    say('  export ANTHROPIC_API_KEY=…  && colleague run "<task>" --model anthropic:claude-opus-4-6');
    say('  export OPENAI_API_KEY=…     && colleague run "<task>" --model openai:gpt-5.3-codex');
    say('  a local model (Ollama):        colleague run "<task>" --model compatible:qwen3-coder@http://127.0.0.1:11434/v1');
    return exitCodeFor(result);
  } finally {
    dispose();
    host.close();
  }
}
