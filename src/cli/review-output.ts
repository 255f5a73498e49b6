import type { SessionStore } from "../store/store.js";
import { writeReview } from "../team/workflows/review.js";
import { version } from "./version.js";

/** Writes review.md / review.sarif from a review session's log (also after a resume). */
export function writeReviewOutputs(store: SessionStore, sessionId: string, say = true): { findings: number } {
  const out = writeReview(store.events(sessionId), version());
  if (say) process.stdout.write(`${out.findings.length} finding(s) → ${out.markdown}, ${out.sarif}\n`);
  return { findings: out.findings.length };
}
