import { mkdtempSync, realpathSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { steeringKeys, withoutSteering } from "../../src/config/steering.js";
import { isProjectTrusted, trustedProjects, trustProject, untrustProject, wasDeclined } from "../../src/config/trust.js";
import { PassThrough } from "node:stream";
import { terminalTrustPrompt } from "../../src/cli/trust-prompt.js";
import { Host, type TrustQuestion } from "../../src/host/host.js";
import { tempRepo } from "../helpers.js";

const newHome = () => realpathSync(mkdtempSync(path.join(os.tmpdir(), "colleague-home-")));
const steeringRepo = () =>
  realpathSync(
    tempRepo({
      ".git/HEAD": "",
      "colleague.json": JSON.stringify({ effort: "low", providers: { anthropic: { baseURL: "http://127.0.0.1:9/", timeoutMs: 5000 } } }),
    }),
  );

describe("the trust list", () => {
  it("trusts by real path (a symlinked checkout is the same project), lists and forgets", () => {
    const home = newHome();
    const repo = steeringRepo();
    const link = path.join(newHome(), "link");
    symlinkSync(repo, link);
    expect(isProjectTrusted(home, repo)).toBe(false);
    trustProject(home, link, "abc");
    expect(isProjectTrusted(home, repo)).toBe(true);
    expect(trustedProjects(home)).toEqual([expect.objectContaining({ root: repo, configHash: "abc" })]);
    expect(untrustProject(home, repo)).toBe(true);
    expect(isProjectTrusted(home, link)).toBe(false);
    expect(untrustProject(home, repo)).toBe(false);
  });

  it("steering keys: provider endpoints, headers, keys, quirks and an endpoint in the model id; the rest stays", () => {
    const config = { model: "compatible:q@http://x/v1", effort: "low", providers: { anthropic: { baseURL: "u", timeoutMs: 5, headers: {} }, openai: { apiKey: "k" } } };
    expect(steeringKeys(config)).toEqual(["model", "providers.anthropic.baseURL", "providers.anthropic.headers", "providers.openai.apiKey"]);
    expect(withoutSteering(config)).toEqual({ effort: "low", providers: { anthropic: { timeoutMs: 5 } } });
    expect(steeringKeys({ model: "anthropic:claude-opus-4-6" })).toEqual([]);
  });

  it("loadConfig leaves an untrusted project's steering settings out, keeps its other settings, and applies them once trusted", () => {
    const home = newHome();
    const repo = steeringRepo();
    const untrusted = loadConfig(repo, {}, home);
    expect(untrusted.config.providers?.anthropic).toEqual({ timeoutMs: 5000 });
    expect(untrusted.config.effort).toBe("low");
    expect(untrusted.ignored).toEqual([{ file: path.join(repo, "colleague.json"), keys: ["providers.anthropic.baseURL"] }]);
    trustProject(home, repo);
    const trusted = loadConfig(path.join(repo), {}, home);
    expect(trusted.config.providers?.anthropic?.baseURL).toBe("http://127.0.0.1:9/");
    expect(trusted.ignored).toEqual([]);
  });
});

describe("the host asks once, where a person can answer", () => {
  it("asks at the first run in a project with steering settings, keeps the answer, and never asks without askTrust", async () => {
    const home = newHome();
    const repo = steeringRepo();
    const asked: TrustQuestion[] = [];
    const declining = new Host({ home, store: ":memory:", askTrust: async (q) => {
        asked.push(q);
        return false;
      },
    });
    await declining.settleTrust(repo);
    await declining.settleTrust(repo);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toEqual({ root: repo, settings: [{ file: path.join(repo, "colleague.json"), keys: ["providers.anthropic.baseURL"] }] });
    expect(wasDeclined(home, repo)).toBe(true);
    expect(declining.workplace(repo).notices?.[0]).toContain(`colleague trust add ${repo}`);
    declining.close();

    const otherHome = newHome();
    const silent = new Host({ home: otherHome, store: ":memory:" });
    await silent.settleTrust(repo);
    expect(isProjectTrusted(otherHome, repo)).toBe(false);
    expect(wasDeclined(otherHome, repo)).toBe(false);
    silent.close();

    const accepting = new Host({ home: otherHome, store: ":memory:", askTrust: async () => true });
    await accepting.settleTrust(repo);
    expect(isProjectTrusted(otherHome, repo)).toBe(true);
    expect(accepting.workplace(repo).config.providers?.anthropic?.baseURL).toBe("http://127.0.0.1:9/");
    accepting.close();
  });

  it("a project without steering settings is never asked about", async () => {
    const home = newHome();
    let asked = 0;
    const host = new Host({ home, store: ":memory:", askTrust: async () => {
        asked++;
        return true;
      },
    });
    await host.settleTrust(tempRepo({ "colleague.json": '{"effort":"high"}' }));
    expect(asked).toBe(0);
    host.close();
  });
});

describe("the terminal question", () => {
  it("shows the settings and the root; only y / yes trusts, Enter does not", async () => {
    const question = { root: "/repo", settings: [{ file: "/repo/colleague.json", keys: ["providers.anthropic.baseURL"] }] };
    const answers: boolean[] = [];
    let shown = "";
    for (const typed of ["y\n", "YES\n", "\n", "n\n", "sure\n"]) {
      const input = new PassThrough();
      const output = new PassThrough();
      output.on("data", (chunk: Buffer) => {
        shown += chunk.toString();
      });
      const pending = terminalTrustPrompt(input, output)(question);
      input.write(typed);
      answers.push(await pending);
    }
    expect(answers).toEqual([true, true, false, false, false]);
    expect(shown).toContain("/repo/colleague.json: providers.anthropic.baseURL");
    expect(shown).toContain("Trust /repo?");
  });
});
