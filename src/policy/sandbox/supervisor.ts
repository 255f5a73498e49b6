/**
 * The supervisor that lives inside a long-lived sandbox (one bwrap per session instead of one
 * per command) and starts each command there. It is a small Node program, run as
 * `node -e <source>` so no file has to be visible inside; it talks JSON lines over its
 * stdin/stdout with the host side (session-sandbox.ts):
 *
 *   host → supervisor   {"op":"run","script","cwd","env"}   one command at a time
 *                        {"op":"signal","signal"}            to the command's process group
 *   supervisor → host   {"op":"ready"}                      once, when it can take commands
 *                        {"op":"out","fd":1|2,"data":base64} output as it arrives
 *                        {"op":"exit","code","signal","failure"?}
 *
 * Each command runs `bash -c` in a fresh process group with its own cwd and environment and
 * /dev/null as stdin. When it has exited (and its pipes have closed, or DRAIN_MS later) the
 * supervisor SIGKILLs every other process in the sandbox's PID namespace (`kill(-1)` spares only
 * the caller and the namespace's init), so nothing a command started — not even one that left
 * its group with setsid — outlives it, exactly as when the whole namespace ended with it.
 * End-of-file on stdin means colleague is gone (or closed the session): everything dies.
 */

/**
 * The supervisor program, kept as plain JavaScript text (not a compiled function) so no build
 * step can rewrite it into something that needs helpers which do not exist inside.
 */
export const SUPERVISOR_SOURCE = String.raw`"use strict";
const { spawn } = require("node:child_process");
const DRAIN_MS = 200;
const shell = require("node:fs").existsSync("/bin/bash") ? "/bin/bash" : "/bin/sh";
const send = (message) => process.stdout.write(JSON.stringify(message) + "\n");
// kill(-1) reaches every process this user may signal: only inside the sandbox's own PID
// namespace (where bwrap's init is 1 and this program 2) is that "everything the commands left".
// Anywhere else it would be the whole machine, so it is never sent there.
const ownNamespace = process.pid <= 2;
const killAll = () => {
  if (!ownNamespace) return;
  try { process.kill(-1, "SIGKILL"); } catch {}
};
let child;
const handle = (message) => {
  if (message.op === "signal") {
    if (child && child.pid !== undefined) try { process.kill(-child.pid, message.signal || "SIGKILL"); } catch {}
    return;
  }
  if (message.op !== "run" || child) return;
  let settled = false;
  let running;
  const finish = (code, signal, failure) => {
    if (settled) return;
    settled = true;
    if (running) { running.stdout?.destroy(); running.stderr?.destroy(); }
    killAll();
    child = undefined;
    send(failure ? { op: "exit", code, signal, failure } : { op: "exit", code, signal });
  };
  try {
    running = spawn(shell, ["-c", message.script], { cwd: message.cwd, env: message.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  } catch (error) {
    finish(null, null, "failed to start: " + error.message);
    return;
  }
  child = running;
  running.stdout.on("data", (chunk) => send({ op: "out", fd: 1, data: chunk.toString("base64") }));
  running.stderr.on("data", (chunk) => send({ op: "out", fd: 2, data: chunk.toString("base64") }));
  running.on("error", (error) => finish(null, null, "failed to start: " + error.message));
  running.on("close", (code, signal) => finish(code, signal));
  running.on("exit", (code, signal) => setTimeout(() => finish(code, signal), DRAIN_MS).unref());
};
let pending = "";
const quit = () => { killAll(); process.exit(0); };
process.stdin.on("data", (chunk) => {
  pending += chunk.toString("utf8");
  for (let nl = pending.indexOf("\n"); nl >= 0; nl = pending.indexOf("\n")) {
    const line = pending.slice(0, nl);
    pending = pending.slice(nl + 1);
    if (line) handle(JSON.parse(line));
  }
});
process.stdin.on("end", quit);
process.stdout.on("error", quit);
send({ op: "ready" });
`;

export type SupervisorMessage =
  | { op: "ready" }
  | { op: "out"; fd: 1 | 2; data: string }
  | { op: "exit"; code: number | null; signal: string | null; failure?: string };
