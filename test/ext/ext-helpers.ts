import { writeFileSync } from "node:fs";
import path from "node:path";
import type { AgentEvent } from "../../src/agent/events.js";
import { Host, type HostOptions } from "../../src/host/host.js";
import type { Scenario } from "../../src/model/scenario.js";
import { createScriptedModel } from "../../src/model/scripted.js";
import type { Model, ModelRequest } from "../../src/model/types.js";
import { tempRepo } from "../helpers.js";

/** A workspace, a colleague home and a user home (for ~/.claude), each a temp folder with the given files. */
export function places(files: { project?: Record<string, string>; home?: Record<string, string>; user?: Record<string, string> } = {}) {
  const ws = tempRepo({ ".git/HEAD": "ref: refs/heads/main\n", ...files.project });
  const home = tempRepo(files.home);
  const user = tempRepo(files.user);
  return { ws, home, user };
}

/** A host on those places, with its notices collected. */
export function hostFor(p: { home: string; user: string }, options: HostOptions = {}) {
  const notices: string[] = [];
  const host = new Host({
    home: p.home,
    store: ":memory:",
    env: { ...process.env, HOME: p.user, COLLEAGUE_HOME: p.home, COLLEAGUE_MODEL: "", COLLEAGUE_PERMISSION_MODE: "" },
    onNotice: (line) => notices.push(line),
    ...options,
  });
  return { host, notices };
}

/** A scenario file, for a `scripted:` id a command or an agent file can name. */
export function scenarioFile(dir: string, name: string, scenario: Scenario): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(scenario));
  return `scripted:${file}`;
}

/**
 * One model playing two scripts: requests whose system prompt holds `marker` (the subagent's)
 * get `child`, the others `parent`. Priced, so that costs are not zero.
 */
export function routedModel(parent: Scenario, child: Scenario, marker: string): Model {
  const a = createScriptedModel(parent);
  const b = createScriptedModel(child);
  const info = { ...a.info, price: { input: 1, output: 10, cacheRead: 0.1, cacheWrite: 1 } };
  return { id: "scripted:routed", info, stream: (request: ModelRequest) => (request.system.includes(marker) ? b : a).stream(request) };
}

export const collect = () => {
  const events: AgentEvent[] = [];
  return { events, onEvent: (e: AgentEvent) => events.push(e) };
};
