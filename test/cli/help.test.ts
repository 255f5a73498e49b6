import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/commands.js";
import { didYouMean, editDistance } from "../../src/config/did-you-mean.js";
import { cleanEnv, runCli } from "./cli-helpers.js";
import { withoutPartNotices } from "../helpers.js";

const env = cleanEnv();

describe("colleague <command> --help", () => {
  for (const [name, spec] of Object.entries(COMMANDS)) {
    it(`${name} --help lists every flag the command parses`, async () => {
      const out = await runCli([name, "--help"], { env });
      expect(out.code).toBe(0);
      expect(withoutPartNotices(out.stderr)).toBe("");
      expect(out.stdout).toContain(`colleague ${name} — ${spec.summary}`);
      for (const [flag, f] of Object.entries(spec.flags as Record<string, { short?: string }>)) {
        expect(out.stdout).toContain(`--${flag}`);
        if (f.short) expect(out.stdout).toContain(`-${f.short}, --${flag}`);
      }
      expect(out.stdout).toContain("-h, --help");
    });
  }

  it("answers -h after other flags, and `help <command>`", async () => {
    const late = await runCli(["resume", "abc", "--budget-usd", "3", "-h"], { env });
    expect(late.code).toBe(0);
    expect(late.stdout).toContain("--budget-usd USD");
    const viaHelp = await runCli(["help", "eval"], { env });
    expect(viaHelp.stdout).toContain("--set SET");
  });

  it("the root help lists the commands and the one-shot flags", async () => {
    const out = await runCli(["--help"], { env });
    expect(out.code).toBe(0);
    for (const name of Object.keys(COMMANDS)) expect(out.stdout).toMatch(new RegExp(`^  ${name}\\s`, "m"));
    for (const flag of ["-p, --print", "--output-format", "-c, --continue", "--last", "--name"]) expect(out.stdout).toContain(flag);
  });
});

describe("did-you-mean", () => {
  it("suggests the command for a typo and refuses to guess for an unrelated word", async () => {
    const typo = await runCli(["rnu"], { env });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown command "rnu"; did you mean `colleague run`?');
    const flag = await runCli(["run", "x", "--modle", "m"], { env });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe("colleague: run: unknown flag --modle; did you mean --model? (see `colleague run --help`)\n");
    const choice = await runCli(["-p", "x", "--output-format", "jsno"], { env });
    expect(choice.code).toBe(2);
    expect(choice.stderr).toContain('--output-format must be one of text, json, stream-json, got "jsno"; did you mean json?');
  });

  it("measures typos as edits, a swap of two letters being one", () => {
    expect(editDistance("rnu", "run")).toBe(1);
    expect(editDistance("sesions", "sessions")).toBe(1);
    expect(didYouMean("reveiw", ["review", "resume", "run"])).toBe("review");
    expect(didYouMean("deploy", ["review", "resume", "run"])).toBeUndefined();
  });
});

describe("colleague completion", () => {
  it("prints a bash script that bash accepts and that completes commands and flags", async () => {
    const out = await runCli(["completion", "bash"], { env });
    expect(out.code).toBe(0);
    const dir = mkdtempSync(path.join(os.tmpdir(), "colleague-completion-"));
    const file = path.join(dir, "colleague.bash");
    writeFileSync(file, out.stdout);
    const complete = (words: string[]) =>
      execFileSync(
        "bash",
        ["-c", `source ${file}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _colleague; echo "\${COMPREPLY[*]}"`],
        { encoding: "utf8" },
      ).trim();
    expect(complete(["colleague", "re"]).split(" ").sort()).toEqual(["resume", "review", "rewind"]);
    expect(complete(["colleague", "run", "--max"])).toBe("--max-steps");
    expect(complete(["colleague", "run", "--effort", "h"])).toBe("high");
    expect(complete(["colleague", "completion", "z"])).toBe("zsh");
  });

  it("prints zsh and fish scripts naming every command", async () => {
    const zsh = await runCli(["completion", "zsh"], { env });
    expect(zsh.stdout.startsWith("#compdef colleague\n")).toBe(true);
    const fish = await runCli(["completion", "fish"], { env });
    for (const name of Object.keys(COMMANDS)) {
      expect(zsh.stdout).toContain(`'${name}:`);
      expect(fish.stdout).toContain(`-a ${name} -d`);
    }
    expect(fish.stdout).toContain("-l output-format -x -a 'text json stream-json'");
    const bad = await runCli(["completion", "powershell"], { env });
    expect(bad.code).toBe(2);
  });
});
