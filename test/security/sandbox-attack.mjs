// Runs commands in a sandbox from the built library (dist/), as whichever user started it: the
// security tests start it as root and, through setpriv, as an unprivileged user. Argument: JSON
// { backend, jobs: [{ workspace, home, commands, killAfterMs?, killAfterSpawnMs? }] }. Prints one
// JSON line per command: { exitCode, output }. With killAfterMs it starts the first command and
// kills itself (SIGKILL) that many ms later, as a crash of colleague during sandbox start-up
// would; killAfterSpawnMs counts from the moment its first child process appears instead (a
// tight poll of /proc), to land in the few ms between the spawn and the sandbox taking hold.
import { readFileSync } from "node:fs";
import { createSandbox } from "../../dist/index.js";

const die = () => process.kill(process.pid, "SIGKILL");

function dieAfterSpawn(ms) {
  const children = `/proc/${process.pid}/task/${process.pid}/children`;
  const poll = () => {
    let found = "";
    try {
      found = readFileSync(children, "utf8").trim();
    } catch {
      // no children file: the kernel lacks CONFIG_PROC_CHILDREN; time-based kills still run
    }
    if (!found) setImmediate(poll);
    else if (ms === 0) die();
    else setTimeout(die, ms);
  };
  setImmediate(poll);
}

const { backend, jobs } = JSON.parse(process.argv[2]);
for (const job of jobs) {
  const sandbox = createSandbox({ workspace: job.workspace, home: job.home, backend });
  if (sandbox.backend !== backend) throw new Error(`asked for ${backend}, got ${sandbox.backend}: ${sandbox.notes.join("; ")}`);
  const options = { cwd: job.workspace, timeoutMs: 30_000, maxOutputBytes: 200_000, env: { ...process.env, HOME: job.home } };
  if (job.killAfterMs !== undefined || job.killAfterSpawnMs !== undefined) {
    if (job.killAfterSpawnMs !== undefined) dieAfterSpawn(job.killAfterSpawnMs);
    void sandbox.runner.run(job.commands[0], options);
    if (job.killAfterMs !== undefined) setTimeout(die, job.killAfterMs);
    await new Promise(() => {});
  }
  for (const command of job.commands) {
    const { exitCode, output } = await sandbox.runner.run(command, options);
    process.stdout.write(`${JSON.stringify({ exitCode, output })}\n`);
  }
  sandbox.runner.close?.();
}
