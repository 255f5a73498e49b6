/**
 * Whether a shell line only waits and prints: every command in it is one of a few programs that
 * change nothing (`sleep`, `echo`, `true`, …), run in the foreground or the background, with its
 * output thrown away or left on the terminal. Such a line cannot do harm whatever its words, so
 * the classifier, which reads words, has no say on it; the rules still do. It is read without the
 * shell grammar, and conservatively: a quote, an expansion, a glob, a redirection to a file or a
 * compound command makes a line not inert.
 */

const INERT = new Set(["sleep", "echo", "printf", "true", "false", ":", "wait", "pwd"]);
/** Programs that run the rest of their words as a command, with the options they may take first. */
const PREFIXES = new Set(["nohup", "nice", "exec"]);
/** Redirections that write nowhere: output to /dev/null, input from it, one descriptor onto another. */
const HARMLESS_REDIRECTION = /(?:^|\s)(?:[0-9]?>>?|&>>?)\s*\/dev\/null(?=\s|$|[;&|)])|(?:^|\s)[0-9]?<\s*\/dev\/null(?=\s|$|[;&|)])|[0-9]?>&[0-9](?=\s|$|[;&|)])/g;
// Not patterns.ts's splitCommands: it drops leading `VAR=value` (`LD_PRELOAD=… sleep 1` is not
// inert) and does not split at a subshell's parentheses.
const SEPARATORS = /&&|\|\||[;&|\n()]/;
const PLAIN_WORD = /^[A-Za-z0-9_.,:/+=@%-]+$/;
const MAX_LENGTH = 2_000;

export function inertShell(line: string): boolean {
  if (line.length > MAX_LENGTH) return false;
  const rest = line.replace(HARMLESS_REDIRECTION, " ");
  let commands = 0;
  for (const segment of rest.split(SEPARATORS)) {
    const words = segment.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) continue;
    if (!words.every((w) => PLAIN_WORD.test(w))) return false;
    let i = 0;
    while (i < words.length && PREFIXES.has(words[i]!)) i++;
    const program = words[i];
    if (program === undefined || !INERT.has(program)) return false;
    commands++;
  }
  return commands > 0;
}
