import { resumeSession } from "../session/session.js";
import { intFlag, numberFlag, parseFlags } from "./args.js";
import { UsageError } from "./errors.js";
import { eventPrinter, exitCodeFor } from "./output.js";
import { interruptible, modelFor, openStore, parseEffort, readSetup } from "./setup.js";

/** `colleague resume <id> [follow-up]`: continue a session from its last completed step. */
export async function resumeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    {
      model: { type: "string", short: "m" },
      effort: { type: "string", short: "e" },
      "max-steps": { type: "string" },
      "budget-usd": { type: "string" },
      json: { type: "boolean" },
    },
    "resume",
  );
  const [id, ...rest] = positionals;
  if (!id) throw new UsageError("resume: give a session id (see `colleague sessions`)");
  const store = openStore();
  const { signal, dispose } = interruptible();
  try {
    const row = store.findSession(id);
    if (!row) throw new UsageError(`resume: no session "${id}" (see \`colleague sessions\`)`);
    // Team sessions (colleague team / review) resume as a whole team: see src/team/resume.ts.
    if (store.events(row.id)[0]?.type === "team_started") {
      const { resumeTeamSession } = await import("./team.js");
      return exitCodeFor(await resumeTeamSession(row.id, store, values.json === true, signal));
    }
    const setup = readSetup(row.cwd);
    const model = await modelFor(values.model ?? row.model, setup);
    const effort = parseEffort(values.effort);
    const maxSteps = intFlag(values["max-steps"], "max-steps");
    const budgetUsd = numberFlag(values["budget-usd"], "budget-usd");
    const followUp = rest.join(" ").trim();
    const result = await resumeSession(row.id, {
      store,
      model,
      ...(effort ? { effort } : {}),
      ...(maxSteps ? { maxSteps } : {}),
      ...(budgetUsd ? { budgetUsd } : {}),
      ...(followUp ? { followUp } : {}),
      onEvent: eventPrinter(values.json === true),
      signal,
      userDir: setup.home,
    });
    return exitCodeFor(result);
  } finally {
    dispose();
    store.close();
  }
}
