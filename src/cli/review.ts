import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { DEFAULT_MODEL } from "../config/config.js";
import { parseModelId } from "../model/resolve.js";
import type { SqliteStore } from "../store/sqlite.js";
import { FOCUSES, startReview, writeReview } from "../team/workflows/review.js";
import { intFlag, numberFlag, parseFlags } from "./args.js";
import { UsageError } from "./errors.js";
import { exitCodeFor } from "./output.js";
import { interruptible, openStore, readSetup } from "./setup.js";
import { poolFor, teamPrinter } from "./team.js";
import { version } from "./version.js";

/** `colleague review [path]`: reviewers in parallel, findings merged into review.md and review.sarif. */
export async function reviewCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    {
      size: { type: "string", short: "n" },
      focus: { type: "string" },
      teammate: { type: "string", multiple: true },
      model: { type: "string", short: "m" },
      out: { type: "string", short: "o" },
      "max-steps": { type: "string" },
      "budget-usd": { type: "string" },
      json: { type: "boolean" },
    },
    "review",
  );
  if (positionals.length > 1) throw new UsageError("review: give at most one path");
  const root = path.resolve(positionals[0] ?? ".");
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`review: ${root} is not a folder`);
  const focus = (values.focus ?? FOCUSES.join(",")).split(",").map((f) => f.trim()).filter(Boolean);
  const unknown = focus.filter((f) => !(FOCUSES as readonly string[]).includes(f));
  if (unknown.length || !focus.length) throw new UsageError(`--focus takes a comma list of ${FOCUSES.join(", ")}; got "${values.focus}"`);
  const setup = readSetup(root);
  const fallback = values.model ?? process.env.COLLEAGUE_MODEL ?? setup.config.model ?? DEFAULT_MODEL;
  const teammates = values.teammate?.length ? values.teammate : [fallback];
  for (const id of teammates) parseModelId(id);
  const budgetUsd = numberFlag(values["budget-usd"], "budget-usd");
  const maxSteps = intFlag(values["max-steps"], "max-steps");
  const store = openStore();
  const { signal, dispose } = interruptible();
  try {
    const team = await startReview({
      store,
      models: poolFor(setup),
      root,
      size: intFlag(values.size, "size") ?? focus.length,
      focus,
      teammateModels: teammates,
      outDir: path.resolve(values.out ?? process.cwd()),
      ...(budgetUsd ? { budgetUsd } : {}),
      ...(maxSteps ? { maxStepsPerAgent: maxSteps } : {}),
      signal,
      onEvent: teamPrinter(values.json === true),
      userDir: setup.home,
    });
    const result = await team.run();
    await writeReviewOutputs(store, team.sessionId, values.json !== true);
    return exitCodeFor(result);
  } finally {
    dispose();
    store.close();
  }
}

/** Writes review.md / review.sarif from a review session's log (also after a resume). */
export async function writeReviewOutputs(store: SqliteStore, sessionId: string, say = true): Promise<{ findings: number }> {
  const out = writeReview(store.events(sessionId), version());
  if (say) process.stdout.write(`${out.findings.length} finding(s) → ${out.markdown}, ${out.sarif}\n`);
  return { findings: out.findings.length };
}
