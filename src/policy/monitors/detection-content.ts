import type { ScreenInput } from "./types.js";

/**
 * A detection rule's file: Sigma, YARA, a Splunk saved search, a Wazuh or OSSEC rule or decoder,
 * Suricata or Snort signatures, Falco rules, a detections folder. What it holds are the strings a
 * detector looks for (`Login Data`, `security dump-keychain`, `/dev/tcp/`), so the rules read them
 * as quoted, as they read a tool result: a hit needs the classifier to agree. Only these formats:
 * auditd's and udev's `.rules` files act on the machine, and a change to them can be the harm.
 */
const DETECTION_PATH =
  /(^|[\\/])(sigma|yara|detections?|detection[-_]rules|hunting[-_]queries)[\\/]|\.(yara?|sigma)$|(^|[\\/])savedsearches\.conf$|[\\/](ossec|wazuh)[\\/](etc[\\/])?(rules|decoders)[\\/]|[\\/](suricata|snort)[\\/]rules[\\/]|(^|[\\/])falco[_-]rules[\w.-]*\.ya?ml$/i;

/** Whether a call writes or edits a detection rule's file (its path is the call text's first line). */
export function writesDetectionRule(input: ScreenInput): boolean {
  if (input.stage !== "tool_call" || (input.tool !== "write_file" && input.tool !== "edit_file")) return false;
  const end = input.text.indexOf("\n");
  return DETECTION_PATH.test((end < 0 ? input.text : input.text.slice(0, end)).trim());
}
