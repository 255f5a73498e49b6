import path from "node:path";
import { render } from "ink";
import { DEFAULT_MAX_STEPS, DEFAULT_MODEL } from "../config/config.js";
import { intFlag, parseFlags } from "../cli/args.js";
import { modelFor, openStore, parseEffort, readSetup } from "../cli/setup.js";
import { App } from "./app.js";
import { TuiController } from "./controller.js";

/**
 * `colleague` with no command: the interactive terminal. Loaded on demand (it pulls in Ink
 * and React), so the other commands and `--version` stay fast.
 */
export async function openTui(argv: string[]): Promise<number> {
  const { values } = parseFlags(
    argv,
    {
      model: { type: "string", short: "m" },
      effort: { type: "string", short: "e" },
      "max-steps": { type: "string" },
      cwd: { type: "string", short: "C" },
    },
    "colleague",
  );
  const cwd = path.resolve(values.cwd ?? process.cwd());
  const setup = readSetup(cwd);
  const c = setup.config;
  const store = openStore();
  const controller = new TuiController({
    store,
    cwd,
    home: setup.home,
    modelId: values.model ?? process.env.COLLEAGUE_MODEL ?? c.model ?? DEFAULT_MODEL,
    effort: parseEffort(values.effort ?? c.effort),
    maxSteps: intFlag(values["max-steps"], "max-steps") ?? c.maxSteps ?? DEFAULT_MAX_STEPS,
    makeModel: (id) => modelFor(id, setup),
  });
  const width = Math.min(process.stdout.columns || 80, 120);
  const app = render(<App controller={controller} width={width} />, { exitOnCtrlC: false });
  await controller.init(() => app.unmount());
  try {
    await app.waitUntilExit();
  } finally {
    store.close();
  }
  return 0;
}
