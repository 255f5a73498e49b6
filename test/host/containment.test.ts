import { execFile } from "node:child_process";
import path from "node:path";
import { afterEach, beforeAll, expect, it } from "vitest";
import type { AgentEvent } from "../../src/agent/events.js";
import { probeSandboxBackends } from "../../src/policy/sandbox/index.js";
import { jsonEvents, runCli } from "../cli/cli-helpers.js";
import { describeIfAvailable } from "../requires.js";
import { type Attempt, askCall, attemptWorld, escapeCalls, expectAskDenied, expectContained, expectDecided, soloScenario, writeJson } from "./containment.js";

const worlds: Attempt[] = [];
afterEach(() => {
  for (const w of worlds.splice(0)) w.close();
});
let backend = "";
async function world(): Promise<Attempt> {
  const w = await attemptWorld({ COLLEAGUE_SANDBOX_BACKEND: backend });
  worlds.push(w);
  return w;
}

const ESCAPES = ["write_file", "shell", "read_file"];

// The whole matrix runs once per sandbox backend: the same guarantees, proven by the same tests.
for (const report of probeSandboxBackends()) {
describeIfAvailable(`containment in every face (${report.backend})`, report.ok ? undefined : `${report.backend} does not work here: ${report.reason}`, () => {
  beforeAll(() => {
    backend = report.backend;
  });

  it("run: escapes refused or contained in full-auto; ask mode without a TTY denies", async () => {
    const w = await world();
    const scenario = writeJson(path.join(w.base, "s.json"), soloScenario(escapeCalls(w)));
    const out = await runCli(["run", "try to get out", "--model", `scripted:${scenario}`, "--cwd", w.workspace, "--permission-mode", "full-auto", "--json"], { env: w.env });
    expect(out.code, out.stderr).toBe(0);
    const events = jsonEvents(out.stdout);
    expect(events.find((e) => e.type === "session_started")).toMatchObject({ permissionMode: "full-auto", sandbox: backend });
    expectContained(w, events);
    expectDecided(w, events, ESCAPES);

    const ask = writeJson(path.join(w.base, "ask.json"), soloScenario([askCall()]));
    const asked = await runCli(["run", "write a file", "--model", `scripted:${ask}`, "--cwd", w.workspace, "--json"], { env: w.env });
    expect(asked.code).toBe(0);
    expectAskDenied(w, jsonEvents(asked.stdout));
  });

  it("resume: the resumed half of a session is guarded the same way", async () => {
    const w = await world();
    const scenario = writeJson(path.join(w.base, "s.json"), soloScenario(escapeCalls(w), 1));
    const first = await runCli(["run", "look, then try", "--model", `scripted:${scenario}`, "--cwd", w.workspace, "--max-steps", "1", "--json"], { env: w.env });
    expect(first.code).toBe(3); // stopped by --max-steps before the attempts
    const id = jsonEvents(first.stdout)[0]!.sessionId;
    const out = await runCli(["resume", id, "--max-steps", "5", "--permission-mode", "full-auto", "--json"], { env: w.env });
    expect(out.code, out.stderr).toBe(0);
    const events = jsonEvents(out.stdout);
    expectContained(w, events);
    expectDecided(w, events, ESCAPES);

    const ask = writeJson(path.join(w.base, "ask.json"), soloScenario([askCall()], 1));
    const again = await runCli(["run", "look, then write", "--model", `scripted:${ask}`, "--cwd", w.workspace, "--max-steps", "1", "--json"], { env: w.env });
    const resumed = await runCli(["resume", jsonEvents(again.stdout)[0]!.sessionId, "--max-steps", "5", "--json"], { env: w.env });
    expect(resumed.code).toBe(0);
    expectAskDenied(w, jsonEvents(resumed.stdout));
  });

  it("team: a teammate's escapes are refused or contained; its ask-mode command is denied without a TTY", async () => {
    const w = await world();
    const team = {
      agents: {
        lead: {
          steps: [
            { toolCalls: [{ name: "spawn_teammate", args: { name: "mate", role: "worker", task: "Try things." } }] },
            { toolCalls: [{ name: "wait", args: { until: "message" } }] },
            { text: "The teammate reported back." },
          ],
        },
        mate: soloScenario([...escapeCalls(w), askCall()]),
      },
    };
    const file = writeJson(path.join(w.base, "team.json"), team);
    const args = ["team", "try to get out", "--size", "1", "--lead", `scripted:${file}`, "--teammate", `scripted:${file}`, "--cwd", w.workspace, "--json"];
    const out = await runCli([...args, "--permission-mode", "full-auto"], { env: w.env });
    expect(out.code, out.stderr).toBe(0);
    const events = jsonEvents(out.stdout);
    expect(events[0]).toMatchObject({ type: "team_started", permissionMode: "full-auto", sandbox: backend });
    const mate = events.filter((e) => e.agentId === "mate");
    expectContained(w, mate);
    expectDecided(w, mate, ESCAPES);
    // full-auto ran the harmless command (in the sandbox, inside the workspace) …
    expect(mate.some((e) => e.type === "permission_decision" && e.name === "shell" && e.decision === "allow")).toBe(true);

    // … and ask mode, with no terminal, denies it.
    const asked = await runCli(args, { env: w.env });
    expect(asked.code).toBe(0);
    const askedMate = jsonEvents(asked.stdout).filter((e) => e.agentId === "mate");
    const denied = askedMate.filter((e) => e.type === "permission_decision" && e.name === "shell");
    expect(denied.length).toBe(4);
    expect(denied.every((d) => d.type === "permission_decision" && d.decision === "deny")).toBe(true);
  });

  it("review: reviewers can read only the code under review, and are audited", async () => {
    const w = await world();
    const reviewer = {
      steps: [
        {
          toolCalls: [
            { name: "claim_task", args: { id: "T1" } },
            { name: "read_file", args: { path: path.join(w.home, ".ssh", "id_rsa") } },
            { name: "grep", args: { pattern: "PRIVATE", path: w.home } },
            { name: "write_file", args: { path: path.join(w.outside, "by-write-file.txt"), content: "escaped" } },
            { name: "shell", args: { command: `echo escaped > ${w.outside}/by-shell.txt` } },
          ],
        },
        { toolCalls: [{ name: "complete_task", args: { id: "T1", result: "nothing found" } }] },
        { text: "Nothing to report." },
      ],
    };
    const file = writeJson(path.join(w.base, "review.json"), reviewer);
    const out = await runCli(["review", w.workspace, "--focus", "security", "--teammate", `scripted:${file}`, "--out", w.base, "--json"], { env: w.env });
    expect(out.code, out.stderr).toBe(0);
    const events = jsonEvents(out.stdout);
    expectContained(w, events);
    // The reads outside are decided and refused; reviewers have no write or shell tools at all.
    const decisions = expectDecided(w, events, ["read_file", "grep"]);
    expect(decisions.filter((d) => d.decision === "deny" && d.via === "workspace")).toHaveLength(2);
    const unknown = events.filter((e) => e.type === "tool_finished" && (e.name === "write_file" || e.name === "shell"));
    expect(unknown.every((e) => e.type === "tool_finished" && e.isError)).toBe(true);
  });

  it("the library: createAgent is guarded by default and in full-auto", async () => {
    const w = await world();
    const escapes = writeJson(path.join(w.base, "s.json"), soloScenario(escapeCalls(w)));
    const ask = writeJson(path.join(w.base, "ask.json"), soloScenario([askCall()]));
    // From the built package, as a user imports it, with the fake HOME.
    const script = `
      import { createAgent } from "colleague";
      const events = [];
      const full = await createAgent({ model: "scripted:${escapes}", cwd: "${w.workspace}", store: ":memory:", permissionMode: "full-auto" });
      full.subscribe((e) => events.push(e));
      const a = await full.run("try to get out");
      const safe = await createAgent({ model: "scripted:${ask}", cwd: "${w.workspace}", store: ":memory:" });
      const asked = [];
      safe.subscribe((e) => asked.push(e));
      const b = await safe.run("write a file");
      console.log(JSON.stringify({ a: a.status, b: b.status, events, asked }));
    `;
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ["--input-type=module", "-e", script], { cwd: process.cwd(), env: w.env }, (error, out, err) => (error ? reject(new Error(err)) : resolve(out))),
    );
    const { a, b, events, asked } = JSON.parse(stdout) as { a: string; b: string; events: AgentEvent[]; asked: AgentEvent[] };
    expect([a, b]).toEqual(["completed", "completed"]);
    expect(events.find((e) => e.type === "session_started")).toMatchObject({ permissionMode: "full-auto", sandbox: backend });
    expectContained(w, events);
    expectDecided(w, events, ESCAPES);
    expect(asked.find((e) => e.type === "session_started")).toMatchObject({ permissionMode: "ask" });
    expectAskDenied(w, asked);
  });
});
}
