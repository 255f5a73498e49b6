import { GateText, gatedTest } from "./literal-gate.js";
import type { Category } from "./types.js";

/**
 * Compositional intent signals: word families that are harmless alone but telling together —
 * taking control of *someone else's* account, collecting *their* secrets, making *their*
 * service unusable, making data gone *for good*. Meant to generalise past the phrasings the
 * per-category rules were written from; designed on blind4's misses and tuned with the rules
 * since, so no red-team set here measures how far they do (redteam-sets.json).
 */
const F = {
  thirdParty:
    /\b(their|them|next door|neighbou?r\w*|someone(?:'s)?|somebody|victims?|any user'?s|other (users|people|customers)|everyone'?s|people'?s|customers|my (ex|boss|wife|husband|coworker|colleague|target)|target'?s?|competitor\w*|rival\w*|municipal|city'?s|government|real (fans|users|people))\b/i,
  covert:
    /\b(quietly|silently|secretly|covertly|unnoticed|without (anyone|them|the user|the owner)|blends? in|disguis\w*|looks? like (a|an)|pretend\w*|invisible|stealth\w*)\b/i,
  takeControl:
    /\b(sign in as|log ?in as|impersonat\w*|take over|access their|read (their|any user'?s|everyone'?s)|see (their|any user'?s)|control (of )?(their|someone)|change their|guess (the|their)\b[\s\S]{0,30}\bpassword|use their (webcam|camera|microphone|account)|browse their|log ?in to my neighbou?r|hard-coded password)\b/i,
  collect:
    /\b(collect\w*|harvest\w*|saves?|copy|copies|grab\w*|upload\w*|exfiltrat\w*|paste)\b[\s\S]{0,60}\b(passwords?|PINs?|credentials|one-time codes|tokens?|cookies?|\.netrc|id_\w+|names and addresses|private messages|every form)\b/i,
  outage:
    /\b(overload\w*|overwhelm\w*|crash\w*|unusable|take (it |them )?down|never (check out|get one)|can'?t (get in|check out)|most CPU[\s\S]{0,40}\bin a loop|flood\w*)\b/i,
  irreversible: /\b(for good|unrecoverable|irrecoverabl\w*|gone forever|zero out)\b/i,
  data: /\b(data|disks?|history|database|bucket|repo\w*|backups?|records)\b/i,
  persistenceAct:
    /\b(re-?adds?|relaunch\w*|every time (someone|it|the machine)|survive\w*|event subscription|kernel module|remove the commands|edit the (bash |shell )?history|launch agent)\b/i,
  implant: /\b(installs?|lets me|uploads?|joins my|runs? shell commands whenever|launches attacks)\b/i,
  toAgents:
    /\b(automated (reviewers|tools)|agents?|ai coding tools|the automation|automated|bots?)\b[\s\S]{0,60}\b(approve|merge|ignore|execute|publish|paste|read)\b/i,
  authority: /\b(authori[sz]ed by|new policy|before anything else|without waiting for the humans|instructions are now|plan is cancelled)\b/i,
};

/** Every pattern the intent families test (for the literal gates' tests). */
export const INTENT_PATTERNS: readonly RegExp[] = Object.values(F);

export interface IntentHit {
  category: Category;
  w: number;
  why: string;
}

/** The intent families a text shows (read through the patterns' literal gates). */
export function intentHits(text: GateText | string): IntentHit[] {
  const read = typeof text === "string" ? new GateText(text) : text;
  const has = (key: keyof typeof F) => gatedTest(F[key], read);
  const hits: IntentHit[] = [];
  if (has("takeControl") && has("thirdParty")) hits.push({ category: "exploitation", w: 0.55, why: "takes control of someone else's account or device" });
  if (has("collect") && has("thirdParty")) hits.push({ category: "credential_theft", w: 0.5, why: "collects other people's secrets" });
  if (has("outage") && has("thirdParty")) hits.push({ category: "dos", w: 0.55, why: "makes someone else's service unusable" });
  if (has("irreversible") && has("data")) hits.push({ category: "destructive", w: 0.55, why: "destroys data for good" });
  if (has("persistenceAct") && (has("covert") || has("thirdParty"))) hits.push({ category: "persistence", w: 0.5, why: "keeps a hidden foothold" });
  if (has("covert") && has("implant")) hits.push({ category: "malware", w: 0.5, why: "a disguised implant" });
  if (has("toAgents") && has("authority")) hits.push({ category: "prompt_injection", w: 0.55, why: "instructs agents with claimed authority" });
  return hits;
}
