import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { startReview } from "../host/teams.js";
import { FOCUSES } from "../team/workflows/review.js";
import { intFlag, numberFlag, parseFlags } from "./args.js";
import { COMMANDS } from "./commands.js";
import { UsageError } from "./errors.js";
import { exitCodeFor } from "./output.js";
import { guardChoice, } from "./policy.js";
import { writeReviewOutputs } from "./review-output.js";
import { cliHost, interruptible } from "./setup.js";
import { teamPrinter } from "./team.js";

/** `colleague review [path]`: reviewers in parallel, findings merged into review.md and review.sarif. */
export async function reviewCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, COMMANDS.review.flags, "review");
  if (positionals.length > 1) throw new UsageError("review: give at most one path");
  const root = path.resolve(positionals[0] ?? ".");
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`review: ${root} is not a folder`);
  const focus = (values.focus ?? FOCUSES.join(",")).split(",").map((f) => f.trim()).filter(Boolean);
  const unknown = focus.filter((f) => !(FOCUSES as readonly string[]).includes(f));
  if (unknown.length || !focus.length) throw new UsageError(`--focus takes a comma list of ${FOCUSES.join(", ")}; got "${values.focus}"`);
  const teammates = values.teammate?.length ? values.teammate : values.model ? [values.model] : undefined;
  const size = intFlag(values.size, "size");
  const budgetUsd = numberFlag(values["budget-usd"], "budget-usd");
  const maxStepsPerAgent = intFlag(values["max-steps"], "max-steps");
  const host = cliHost();
  const { signal, dispose, stopExit } = interruptible();
  try {
    const team = await startReview(
      host,
      {
        root,
        focus,
        outDir: path.resolve(values.out ?? process.cwd()),
        ...(size ? { size } : {}),
        ...(teammates ? { teammates } : {}),
        ...(budgetUsd ? { budgetUsd } : {}),
        ...(maxStepsPerAgent ? { maxStepsPerAgent } : {}),
        ...guardChoice(values),
      },
      { signal, onEvent: teamPrinter(values.json === true) },
    );
    const result = await team.run();
    writeReviewOutputs(host.store, team.sessionId, values.json !== true);
    return stopExit() ?? exitCodeFor(result);
  } finally {
    dispose();
    host.close();
  }
}
