import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { EventOf } from "../../src/agent/events.js";
import { ColleagueClient } from "../../src/protocol/client.js";
import { BIN, cleanEnv } from "../cli/cli-helpers.js";
import { tempRepo } from "../helpers.js";

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

/** Starts the built `colleague serve` on a free port; resolves with its URL and printed token. */
function serve(env: NodeJS.ProcessEnv, root: string, extra: string[] = []): Promise<{ child: ChildProcess; url: string; out: () => string }> {
  const child = spawn(process.execPath, [BIN, "serve", "--port", "0", "--root", root, ...extra], { env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let out = "";
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      out += d;
      const url = /colleague serve on (http:\/\/\S+)/.exec(out)?.[1];
      if (url && /bearer token/.test(out)) resolve({ child, url, out: () => out });
    });
    child.on("exit", (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
}

describe("colleague serve (the command)", () => {
  it("makes a token once, refuses requests without it, and stops cleanly on SIGTERM", async () => {
    const root = tempRepo();
    const env = cleanEnv();
    const first = await serve(env, root);
    const token = readFileSync(path.join(env.COLLEAGUE_HOME!, "server-token"), "utf8").trim();
    expect(first.out()).toContain(token); // shown once, when made
    expect((await fetch(`${first.url}/sessions`)).status).toBe(401);
    expect(await new ColleagueClient({ url: first.url, token }).listSessions()).toEqual([]);
    first.child.kill("SIGTERM");
    await new Promise((r) => first.child.once("exit", r));
    expect(first.child.exitCode).toBe(0);
    const second = await serve(env, root);
    expect(second.out()).not.toContain(token); // not shown again
    second.child.kill("SIGTERM");
  });

  it("after kill -9 mid-run, a restarted server lists the session as stopped and resumes it without repeating a finished tool call", async () => {
    const root = tempRepo();
    const env = cleanEnv();
    const cwd = path.join(root, "ws");
    const scenario = path.join(root, "s.json");
    writeFileSync(
      scenario,
      JSON.stringify({
        steps: [
          { toolCalls: [{ name: "shell", args: { command: "echo once >> count.txt" } }] },
          { toolCalls: [{ name: "shell", args: { command: "sleep 60" } }] },
          { expect: { lastMessageIncludes: ["carry on"] }, text: "finished after the restart" },
        ],
      }),
    );
    const { mkdirSync } = await import("node:fs");
    mkdirSync(cwd);
    const a = await serve(env, root);
    const token = readFileSync(path.join(env.COLLEAGUE_HOME!, "server-token"), "utf8").trim();
    const client = new ColleagueClient({ url: a.url, token });
    const session = await client.createSession({ task: "count", cwd, model: `scripted:${scenario}`, permissionMode: "full-auto" });
    // Killed while the second command runs: the first finished, the second was cut off.
    for await (const e of client.events(session.id, { until: (e) => e.type === "tool_started" && (e.args as { command: string }).command === "sleep 60" })) void e;
    a.child.kill("SIGKILL");
    await new Promise((r) => a.child.once("exit", r));

    const b = await serve(env, root);
    const again = new ColleagueClient({ url: b.url, token });
    const [listed] = await again.listSessions();
    expect(listed).toMatchObject({ id: session.id, status: "stopped", live: false });
    const last = (await again.getSession(session.id)).session;
    expect(last.live).toBe(false);
    await again.send(session.id, { text: "carry on" });
    const events = [];
    for await (const e of again.events(session.id)) events.push(e);
    const finished = events.filter((e): e is EventOf<"session_finished"> => e.type === "session_finished");
    expect(finished.at(-1)).toMatchObject({ status: "completed" });
    expect(readFileSync(path.join(cwd, "count.txt"), "utf8")).toBe("once\n");
    // Neither call ran again: the finished one is in the log, the cut-off one is reported to the model.
    expect(events.filter((e) => e.type === "tool_started")).toHaveLength(2);
    const resumed = events.find((e): e is EventOf<"session_resumed"> => e.type === "session_resumed");
    expect(resumed?.interruptedCalls).toHaveLength(1);
  });
});
