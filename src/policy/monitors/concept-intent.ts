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

/**
 * Concepts that name an act that can do harm (wipe, copy out, switch off, slip past, flood…) or a
 * covert or hostile manner (secretly, someone else's, a rival, once they have left). A request
 * with none of them ("rename the helper and fix its callers") is where a linear model's
 * confidence is least earned, so only a request naming one of them meets the lower `withIntent`
 * bar. Objects (passwords, backups, logs), settings (production, all) and defensive context
 * (tests, reports, permission) name no act.
 */
const ACTS = new Set([
  ...["DELETE", "ENCRYPT", "DECRYPT", "COPY_OUT", "SEND", "STEAL", "HIDE", "DISABLE", "BYPASS", "ESCALATE", "BACKDOOR", "EXPLOIT"],
  ...["BRUTEFORCE", "FLOOD", "TAKE_DOWN", "LOCK_OUT", "PERSIST", "SPY", "IMPERSONATE", "RANSOM", "MALWARE", "SELF_SPREAD", "TAMPER"],
  ...["SECRETLY", "OTHER_PERSON", "COMPETITOR", "PERSONAL_DESTINATION", "ANONYMOUS", "UNAUTHORIZED", "REVENGE", "AFTER_LEAVING", "IGNORE_RULES"],
]);

/** Whether the concepts of an item name an act that can do harm or a covert manner. */
export function namesAnAct(concepts: ReadonlySet<string>): boolean {
  for (const c of concepts) if (ACTS.has(c)) return true;
  return false;
}
