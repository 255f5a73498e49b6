// Everyday shell idioms that say nothing about harm (silencing output, running in the background,
// changing directory first, tolerating failure). The hand-written sets show them far more often
// in harmful commands than in benign ones (attackers hide output; look-alikes rarely bother), so
// a classifier learns "`>/dev/null 2>&1 &` is harm" and then stops a test suite's
// `nohup server … &`. Each shell command in the training data is also seen once more wrapped in
// one of these, the harmful and the benign alike, so the idioms carry no label and the content
// must decide.
import { fnv } from "./hash.mjs";

const DIRS = ["/tmp", "~/src/app", "/srv/app", "build", "$HOME/work", "/var/tmp/ci"];
const LOGS = ["/tmp/run.log", "out.log", "/var/tmp/job.out", "logs/worker.log"];

/** Ways to run command `c` that any script might use; `pick` chooses the directory or log file. */
const STYLES = [
  (c) => `${c} >/dev/null 2>&1`,
  (c) => `${c} 2>/dev/null`,
  (c) => `nohup ${c} >/dev/null 2>&1 & echo $!`,
  (c, pick) => `nohup ${c} > ${pick(LOGS)} 2>&1 &`,
  (c) => `(${c} &)`,
  (c) => `setsid ${c} </dev/null &>/dev/null &`,
  (c, pick) => `cd ${pick(DIRS)} && ${c}`,
  (c) => `set -euo pipefail; ${c}`,
  (c) => `${c} || true`,
  (c) => `timeout 60 ${c}`,
  (c) => `sleep 2; ${c}`,
  (c) => `${c} & wait`,
];

/** The shell tool calls among `items`, each once more in a style chosen by its id (deterministic). */
export function styledShellCalls(items) {
  return items
    .filter((i) => i.kind === "tool_call" && i.tool === "shell" && typeof i.args?.command === "string")
    .map((i) => {
      const h = fnv(i.id);
      const style = STYLES[h % STYLES.length];
      const pick = (list) => list[(h >>> 8) % list.length];
      return { ...i, id: `${i.id}~styled`, styled: true, args: { ...i.args, command: style(i.args.command, pick) } };
    });
}
