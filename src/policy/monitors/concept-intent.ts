import type { RuleHit } from "./rules.js";
import type { Stage } from "./types.js";

/**
 * Intent read from concepts (concepts.ts) rather than words, so it holds in every language the
 * lexicon covers: a request to destroy records or their copies while an audit, inspection or
 * review is in view. The same concepts meet in defensive work (Object Lock on an audit trail, a
 * retention job that spares audit indices, an erasure request legal signed off), so this is an
 * unsure rule signal: the item goes to the stage's `withRule` bar and the classifier decides.
 * Requests only: in tool results and answers the same concepts describe an incident as often as
 * they commit one.
 */
const RECORDS = ["LOGS", "EVIDENCE", "BACKUP"];

/** What an unsure signal scores: inside the rules' middle band (AMBIGUOUS_FROM to FLAG_AT). */
const UNSURE = 0.3;

/** The rule-like hits the concepts of an item show at its stage (none for most items). */
export function conceptIntents(concepts: ReadonlySet<string>, stage: Stage): RuleHit[] {
  if (stage !== "input" || !concepts.has("DELETE") || !concepts.has("AUTHORITY")) return [];
  if (!RECORDS.some((c) => concepts.has(c))) return [];
  return [{ category: "destructive", score: UNSURE, structural: 0, reasons: ["destroys records with an audit or inspection in view"] }];
}
