import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createSandbox, probeSandboxBackends, type SandboxOptions, SandboxUnavailable, scrubEnv, unsandboxedRunner } from "../../src/policy/sandbox/index.js";
import { globTool } from "../../src/tools/glob.js";
import { grepTool } from "../../src/tools/grep.js";
import type { ToolContext } from "../../src/tools/define.js";
import type { ProcessRunner, RunOptions } from "../../src/tools/io.js";
import { localFileSystem } from "../../src/tools/local-io.js";
import { ripgrepPath, useRipgrepPath } from "../../src/tools/ripgrep.js";
import { Workspace } from "../../src/tools/workspace.js";
import { cleanEnv, runCli } from "../cli/cli-helpers.js";
import { describeIfAvailable } from "../requires.js";

const bases: string[] = [];
afterAll(() => {
  for (const base of bases) rmSync(base, { recursive: true, force: true });
});

/**
 * Not under /tmp: the sandbox mounts a private /tmp, which would hide (not protect) these
 * folders and make the checks vacuous when the checkout itself lives under /tmp (as CI's may).
 */
function scratch(prefix = "colleague-sbx-"): string {
  const cache = process.cwd().startsWith("/tmp/") || process.cwd() === "/tmp" ? "/var/tmp" : path.join(process.cwd(), "node_modules", ".cache");
  mkdirSync(cache, { recursive: true });
  const base = realpathSync(mkdtempSync(path.join(cache, prefix)));
  bases.push(base);
  return base;
}

const runOptions = (cwd: string): RunOptions => ({ cwd, timeoutMs: 30_000, maxOutputBytes: 100_000 });

function setup(backend: "bubblewrap" | "unshare", extra: Partial<SandboxOptions> = {}) {
  const base = scratch();
  const workspace = path.join(base, "ws");
  const home = path.join(base, "home");
  const outside = path.join(base, "outside");
  for (const dir of [workspace, path.join(home, ".ssh"), path.join(home, ".aws"), path.join(home, ".config", "gh"), path.join(home, ".config", "git"), outside]) {
    mkdirSync(dir, { recursive: true });
  }
  writeFileSync(path.join(home, ".ssh", "id_ed25519"), "PRIVATE KEY MATERIAL");
  writeFileSync(path.join(home, ".aws", "credentials"), "aws_secret_access_key=abc");
  writeFileSync(path.join(home, ".npmrc"), "//registry.npmjs.org/:_authToken=secret");
  writeFileSync(path.join(home, ".netrc"), "machine example.com password hunter2");
  writeFileSync(path.join(home, ".config", "gh", "hosts.yml"), "oauth_token: gho_secret");
  writeFileSync(path.join(home, ".config", "git", "ignore"), "*.swp\n");
  writeFileSync(path.join(home, ".gitconfig"), "[user]\n\tname = Sandbox Tester\n\temail = tester@example.com\n[init]\n\tdefaultBranch = main\n");
  writeFileSync(path.join(home, "notes.txt"), "not a dot-file");
  const sandbox = createSandbox({ workspace, home, backend, ...extra });
  const run = (command: string, cwd = workspace) => sandbox.runner.run(command, { ...runOptions(cwd), env: { ...process.env, HOME: home } });
  return { base, workspace, home, outside, sandbox, run };
}

const reports = probeSandboxBackends();
const missing = (backend: string) => {
  const report = reports.find((r) => r.backend === backend)!;
  return report.ok ? undefined : `${report.reason} (fix: ${report.fix})`;
};

for (const backend of ["bubblewrap", "unshare"] as const) {
  describeIfAvailable(`the shell sandbox (${backend})`, missing(backend), () => {
    it("names the backend in use", () => {
      expect(setup(backend).sandbox.backend).toBe(backend);
    });

    it("runs commands without the user's shell start-up files, in a sandbox per session or per command", async () => {
      for (const persistent of [true, false]) {
        const s = setup(backend, { persistent });
        writeFileSync(path.join(s.home, ".bashrc"), "echo SOURCED-BASHRC\n");
        // Without SHLVL (a colleague started by a service or an editor), bash with a socket as
        // stdin would take itself for an ssh login shell and read ~/.bashrc.
        const { SHLVL: _, ...env } = process.env;
        const r = await s.sandbox.runner.run("echo cmd", { ...runOptions(s.workspace), env: { ...env, HOME: s.home } });
        expect(r.output).toBe("cmd\n");
      }
    });

    it("cannot write outside the workspace, can write inside it and in a private /tmp", async () => {
      const s = setup(backend);
      const outside = await s.run(`echo x > ${s.outside}/pwned.txt`);
      expect(outside.exitCode).not.toBe(0);
      expect(existsSync(path.join(s.outside, "pwned.txt"))).toBe(false);
      await s.run(`echo x > ${s.home}/pwned.txt`);
      expect(existsSync(path.join(s.home, "pwned.txt"))).toBe(false);
      const repoFile = path.join(process.cwd(), "pwned-by-sandbox.txt");
      const repo = await s.run(`echo x > ${repoFile}`);
      if (process.cwd().startsWith("/tmp/")) {
        // A checkout under /tmp is not visible at all: the private /tmp covers it (only the tools'
        // own binaries are bound back into it), so the write lands in that private /tmp.
        expect(existsSync(repoFile)).toBe(false);
      } else {
        expect(repo.exitCode).not.toBe(0);
        expect(repo.output).toMatch(/Read-only file system/);
      }
      expect(existsSync(repoFile)).toBe(false);
      const inside = await s.run("echo hello > made.txt && mkdir -p deep/er && echo t > /tmp/scratch && cat /tmp/scratch");
      expect(inside.output).toBe("t\n");
      expect(inside.exitCode).toBe(0);
      expect(readFileSync(path.join(s.workspace, "made.txt"), "utf8")).toBe("hello\n");
      expect(existsSync("/tmp/scratch")).toBe(false); // the sandbox's /tmp is private
    });

    it("cannot read ~/.ssh, ~/.aws, ~/.npmrc, ~/.netrc, ~/.config/gh; ordinary HOME files and git's config stay readable", async () => {
      const s = setup(backend, { readableHome: [".config/starship.toml"] });
      writeFileSync(path.join(s.home, ".config", "starship.toml"), "format = 'readable on request'");
      const ssh = await s.run(`cat ${s.home}/.ssh/id_ed25519`);
      expect(ssh.exitCode).not.toBe(0);
      expect(ssh.output).not.toContain("PRIVATE KEY MATERIAL");
      const listing = await s.run(`ls -A ${s.home}/.ssh | wc -l`);
      expect(listing.output.trim()).toBe("0");
      const secrets = await s.run(`cat ${s.home}/.aws/credentials ${s.home}/.npmrc ${s.home}/.netrc ${s.home}/.config/gh/hosts.yml`);
      for (const secret of ["aws_secret_access_key", "_authToken", "hunter2", "gho_secret"]) expect(secrets.output).not.toContain(secret);
      const readable = await s.run(`cat ${s.home}/notes.txt ${s.home}/.gitconfig ${s.home}/.config/git/ignore ${s.home}/.config/starship.toml; ls -A /tmp`);
      expect(readable.output).toContain("readable on request");
      expect(readable.output).not.toContain(".colleague-mounts");
      expect(readable.output).toContain("not a dot-file");
      expect(readable.output).toContain("Sandbox Tester");
      expect(readable.output).toContain("*.swp");
    });

    it("hides the paths in `hidden` (the colleague home)", async () => {
      const base = scratch();
      const colleagueHome = path.join(base, "colleague-home");
      mkdirSync(colleagueHome);
      writeFileSync(path.join(colleagueHome, "audit.jsonl"), "AUDIT RECORD");
      const s = setup(backend, { hidden: [colleagueHome] });
      const read = await s.run(`cat ${colleagueHome}/audit.jsonl`);
      expect(read.output).not.toContain("AUDIT RECORD");
      // A colleague home under /tmp is covered by the private /tmp; commands still run.
      const tmpHome = mkdtempSync(path.join(os.tmpdir(), "colleague-home-"));
      bases.push(tmpHome);
      writeFileSync(path.join(tmpHome, "audit.jsonl"), "AUDIT RECORD");
      const t = setup(backend, { hidden: [tmpHome] });
      const tmpRead = await t.run(`echo ran; cat ${tmpHome}/audit.jsonl`);
      expect(tmpRead.output).toContain("ran");
      expect(tmpRead.output).not.toContain("AUDIT RECORD");
    });

    it("runs git status, add and commit with the user's git identity", async () => {
      const s = setup(backend);
      writeFileSync(path.join(s.workspace, "a.txt"), "a\n");
      const git = await s.run("git init -q . && git status --short && git add a.txt && git commit -q -m first && git log --format='%an <%ae>' && git status --short");
      expect(git.output).toContain("?? a.txt");
      expect(git.output).toContain("Sandbox Tester <tester@example.com>");
      expect(git.exitCode).toBe(0);
    });

    it("keeps secrets out of the command's environment, except passEnv", async () => {
      const s = setup(backend, { passEnv: ["GITHUB_TOKEN"] });
      const env = { ...process.env, ANTHROPIC_API_KEY: "sk-ant-x", OPENAI_API_KEY: "sk-oa-x", DB_PASSWORD: "pw", GITHUB_TOKEN: "ghp_kept", NPM_TOKEN: "npm_x" };
      const out = await s.sandbox.runner.run("env", { ...runOptions(s.workspace), env });
      expect(out.output).not.toContain("ANTHROPIC_API_KEY");
      expect(out.output).not.toContain("OPENAI_API_KEY");
      expect(out.output).not.toContain("DB_PASSWORD");
      expect(out.output).not.toContain("NPM_TOKEN");
      expect(out.output).toContain("GITHUB_TOKEN=ghp_kept");
    });

    it("cannot undo its mounts: unmounting the hidden ~/.ssh and remounting / writable fail", async () => {
      const s = setup(backend);
      const umount = await s.run(`umount ${s.home}/.ssh; cat ${s.home}/.ssh/id_ed25519`);
      expect(umount.output).not.toContain("PRIVATE KEY MATERIAL");
      const remount = await s.run(`mount -o remount,rw,bind / && echo remounted; echo x > ${s.outside}/after-remount.txt`);
      expect(remount.output).not.toContain("remounted");
      expect(existsSync(path.join(s.outside, "after-remount.txt"))).toBe(false);
      // Nor from a user namespace of its own, where it would hold every capability.
      const nested = await s.run(`unshare --user --map-root-user --mount sh -c 'umount ${s.home}/.ssh; mount -o remount,rw,bind /; cat ${s.home}/.ssh/id_ed25519; echo x > ${s.outside}/nested.txt'`);
      expect(nested.output).not.toContain("PRIVATE KEY MATERIAL");
      expect(existsSync(path.join(s.outside, "nested.txt"))).toBe(false);
    });

    it("cannot open a network connection, even to a server on this machine", async () => {
      const s = setup(backend);
      const server = createServer((socket) => socket.end("hello from the host\n"));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const port = (server.address() as { port: number }).port;
      try {
        const local = await s.run(`exec 3<>/dev/tcp/127.0.0.1/${port} && cat <&3`);
        expect(local.exitCode).not.toBe(0);
        expect(local.output).not.toContain("hello from the host");
        const remote = await s.run("exec 3<>/dev/tcp/1.1.1.1/80 && echo connected");
        expect(remote.exitCode).not.toBe(0);
        expect(remote.output).not.toContain("connected");
      } finally {
        server.close();
      }
    });

    it("has its own PID namespace and loopback", async () => {
      const s = setup(backend);
      const ps = await s.run("ls /proc | grep -c '^[0-9]'");
      expect(Number(ps.output.trim())).toBeLessThan(10);
      const loop = await s.run(`node -e "const s=require('net').createServer(c=>c.end('pong')).listen(0,'127.0.0.1',()=>require('net').connect(s.address().port,'127.0.0.1').on('data',d=>{console.log(String(d));process.exit(0)}))"`);
      expect(loop.output).toContain("pong");
    });

    it("reaches allowed hosts through the filtering proxy, and nothing else", async () => {
      const seen: [string, boolean][] = [];
      const s = setup(backend, { allowedHosts: ["localhost"], onHostRequest: (h, a) => seen.push([h, a]) });
      const server = createHttpServer((_req, res) => res.end("hello through the proxy\n"));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const port = (server.address() as { port: number }).port;
      try {
        // NO_PROXY keeps the sandbox's own localhost direct, so ask curl to use the proxy explicitly.
        const allowed = await s.run(`curl -s --noproxy '' -x "$HTTP_PROXY" http://localhost:${port}/`);
        expect(allowed.output).toContain("hello through the proxy");
        const denied = await s.run(`curl -s --noproxy '' -x "$HTTP_PROXY" http://127.0.0.1:${port}/`);
        expect(denied.output).toContain("not an allowed host");
        const direct = await s.run(`exec 3<>/dev/tcp/127.0.0.1/${port} && echo connected`);
        expect(direct.output).not.toContain("connected");
        expect(seen).toEqual([
          ["localhost", true],
          ["127.0.0.1", false],
        ]);
      } finally {
        server.close();
      }
    });

    it("can build and test a project inside the workspace", async () => {
      const s = setup(backend);
      writeFileSync(path.join(s.workspace, "package.json"), JSON.stringify({ name: "p", type: "module", scripts: { build: "node build.js", test: "node --test" } }));
      writeFileSync(path.join(s.workspace, "build.js"), "import { mkdirSync, writeFileSync } from 'node:fs'; mkdirSync('dist', { recursive: true }); writeFileSync('dist/sum.js', 'export const sum = (a, b) => a + b;');");
      writeFileSync(path.join(s.workspace, "sum.test.js"), "import test from 'node:test'; import assert from 'node:assert'; import { sum } from './dist/sum.js'; test('sum', () => assert.equal(sum(2, 3), 5));");
      const run = await s.run("npm run build --silent && npm test --silent");
      expect(run.output).toContain("pass 1");
      expect(run.exitCode).toBe(0);
      expect(existsSync(path.join(s.workspace, "dist", "sum.js"))).toBe(true);
    });

    describe("grep and glob find ripgrep wherever colleague is installed", () => {
      afterEach(() => useRipgrepPath(undefined));
      /** Installs a copy of @vscode/ripgrep (and its platform package) under `root`; its own module says where rg is. */
      async function installRipgrep(root: string): Promise<string> {
        const target = path.join(root, "node_modules", "@vscode");
        cpSync(path.resolve("node_modules/@vscode"), target, { recursive: true });
        const { rgPath } = (await import(path.join(target, "ripgrep", "lib", "index.js"))) as { rgPath: string };
        expect(rgPath.startsWith(`${target}/`)).toBe(true);
        return rgPath;
      }

      async function searchWith(runner: ProcessRunner, workspace: string) {
        writeFileSync(path.join(workspace, "needle.ts"), "export const needle = 42;\n");
        const ctx: ToolContext = { workspace: new Workspace(workspace), fs: localFileSystem, runner, signal: new AbortController().signal, sessionId: "s", callId: "c" };
        const grep = await grepTool.execute({ pattern: "needle" }, ctx);
        const glob = await globTool.execute({ pattern: "*.ts" }, ctx);
        return { grep: grep.content, glob: glob.content };
      }

      for (const where of ["/tmp", "a HOME dot-folder"]) {
        it(`under ${where}`, async () => {
          const s = setup(backend);
          const root = where === "/tmp" ? mkdtempSync(path.join(os.tmpdir(), "colleague-rg-install-")) : path.join(s.home, ".npm", "_npx", "abc123");
          if (where === "/tmp") bases.push(root);
          const rg = await installRipgrep(root);
          useRipgrepPath(rg);
          expect(await ripgrepPath()).toBe(rg);
          const found = await searchWith(s.sandbox.runner, s.workspace);
          expect(found.grep).toContain("needle.ts");
          expect(found.glob).toContain("needle.ts");
          // Only the binary's folder comes back: the rest of the install stays hidden.
          const rest = await s.run(`ls ${path.join(root, "node_modules", "@vscode", "ripgrep", "lib")}`);
          expect(rest.exitCode).not.toBe(0);
        });
      }
    });
  });
}

describe("the sandbox chain", () => {
  it("falls back to unshare when bwrap is missing, and to none when neither works", async () => {
    const base = scratch();
    const toUnshare = createSandbox({ workspace: base, bwrap: "/nonexistent/bwrap" });
    expect(toUnshare.notes[0]).toMatch(/^bubblewrap: bubblewrap is not found at/);
    const unshareWorks = reports.find((r) => r.backend === "unshare")!.ok;
    expect(toUnshare.backend).toBe(unshareWorks ? "unshare" : "none");
    const none = createSandbox({ workspace: base, bwrap: "/nonexistent/bwrap", unshare: "/nonexistent/unshare" });
    expect(none.backend).toBe("none");
    expect(none.notes).toHaveLength(2);
    expect(none.notes[1]).toMatch(/^unshare: util-linux unshare is not found at/);
    // "none" runs commands unsandboxed, with secrets scrubbed all the same.
    const out = await none.runner.run("echo plain; env", { ...runOptions(base), env: { PATH: process.env.PATH, OPENAI_API_KEY: "sk" } });
    expect(out.output).toContain("plain\n");
    expect(out.output).not.toContain("OPENAI_API_KEY");
  });

  it("a forced backend that does not work throws, naming the reason and the fix", () => {
    expect(() => createSandbox({ workspace: os.tmpdir(), backend: "bubblewrap", bwrap: "/nonexistent/bwrap" })).toThrow(SandboxUnavailable);
    expect(() => createSandbox({ workspace: os.tmpdir(), backend: "unshare", unshare: "/nonexistent/unshare" })).toThrow(/fix: apt-get install util-linux/);
    expect(createSandbox({ workspace: os.tmpdir(), backend: "none" }).backend).toBe("none");
  });

  it("probes each backend with a reason and a fix for those that do not work", () => {
    expect(reports.map((r) => r.backend)).toEqual(["bubblewrap", "unshare"]);
    for (const r of reports) if (!r.ok) expect(r.reason && r.fix).toBeTruthy();
  });

  it("without any backend, `run` stops with a clear error unless unsandboxed is explicitly allowed", async () => {
    const env = cleanEnv({ PATH: "/nonexistent" });
    const scenario = path.join(mkdtempSync(path.join(os.tmpdir(), "colleague-sc-")), "s.json");
    writeFileSync(scenario, JSON.stringify({ steps: [{ text: "hi" }] }));
    const out = await runCli(["run", "hi", "--model", `scripted:${scenario}`, "--cwd", os.tmpdir()], { env });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("bubblewrap");
    expect(out.stderr).toContain("unshare");
    expect(out.stderr).toContain("--sandbox off");
  });
});

describe("secret scrubbing", () => {
  it("drops keys, tokens, secrets and passwords (any case) and the providers' variables, except passEnv", () => {
    const env = {
      PATH: "/bin",
      HOME: "/home/u",
      ANTHROPIC_API_KEY: "a",
      ANTHROPIC_BASE_URL: "b",
      OPENAI_API_KEY: "c",
      COMPATIBLE_API_KEY: "d",
      GITHUB_TOKEN: "e",
      github_token: "f",
      AWS_SECRET_ACCESS_KEY: "g",
      MY_PASSWORD_FILE: "h",
      db_password: "i",
      STRIPE_API_KEY: "j",
      TOKENIZER: "kept",
    };
    expect(Object.keys(scrubEnv(env)).sort()).toEqual(["HOME", "PATH", "TOKENIZER"]);
    expect(Object.keys(scrubEnv(env, ["github_token"])).sort()).toEqual(["GITHUB_TOKEN", "HOME", "PATH", "TOKENIZER", "github_token"]);
  });

  it("the unsandboxed runner scrubs too, and keeps the non-interactive defaults", async () => {
    const saved = { ...process.env };
    process.env.ANTHROPIC_API_KEY = "sk-ant-test";
    process.env.SOME_TOKEN = "tok";
    try {
      const out = await unsandboxedRunner(["SOME_TOKEN"]).run("env", runOptions(os.tmpdir()));
      expect(out.output).not.toContain("ANTHROPIC_API_KEY");
      expect(out.output).toContain("SOME_TOKEN=tok");
      expect(out.output).toContain("GIT_TERMINAL_PROMPT=0");
      expect(out.output).toContain("PAGER=cat");
    } finally {
      process.env = saved;
    }
  });
});
