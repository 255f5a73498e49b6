import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSandboxedRunner, SandboxUnavailable } from "../../src/policy/sandbox.js";
import type { RunOptions } from "../../src/tools/io.js";
import { cleanEnv, runCli } from "../cli/cli-helpers.js";

const bases: string[] = [];
afterAll(() => {
  for (const base of bases) rmSync(base, { recursive: true, force: true });
});

// These tests need bubblewrap (.ci/run installs it): they run real commands in the sandbox.
function setup() {
  // Outside /tmp (the sandbox gives commands a private /tmp), so the fake HOME is really covered.
  // Not under /tmp: the sandbox mounts a private /tmp, which would hide (not protect) these
  // folders and make the checks vacuous when the checkout itself lives under /tmp (as CI's may).
  const cache = process.cwd().startsWith("/tmp/") || process.cwd() === "/tmp" ? "/var/tmp" : path.join(process.cwd(), "node_modules", ".cache");
  mkdirSync(cache, { recursive: true });
  const base = realpathSync(mkdtempSync(path.join(cache, "colleague-sbx-")));
  bases.push(base);
  const workspace = path.join(base, "ws");
  const home = path.join(base, "home");
  const outside = path.join(base, "outside");
  for (const dir of [workspace, path.join(home, ".ssh"), path.join(home, ".aws"), outside]) mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(home, ".ssh", "id_ed25519"), "PRIVATE KEY MATERIAL");
  writeFileSync(path.join(home, ".aws", "credentials"), "aws_secret_access_key=abc");
  writeFileSync(path.join(home, ".npmrc"), "//registry.npmjs.org/:_authToken=secret");
  writeFileSync(path.join(home, "notes.txt"), "not a dot-file");
  const runner = createSandboxedRunner({ workspace, home });
  const options = (cwd = workspace): RunOptions => ({ cwd, timeoutMs: 20_000, maxOutputBytes: 100_000 });
  return { base, workspace, home, outside, run: (command: string) => runner.run(command, options()) };
}

describe("the shell sandbox (bubblewrap)", () => {
  it("cannot write outside the workspace, can write inside it and in a private /tmp", async () => {
    const s = setup();
    const outside = await s.run(`echo x > ${s.outside}/pwned.txt`);
    expect(outside.exitCode).not.toBe(0);
    expect(existsSync(path.join(s.outside, "pwned.txt"))).toBe(false);
    await s.run(`echo x > ${s.home}/pwned.txt`);
    expect(existsSync(path.join(s.home, "pwned.txt"))).toBe(false);
    const repoFile = path.join(process.cwd(), "pwned-by-sandbox.txt");
    const repo = await s.run(`echo x > ${repoFile}`);
    expect(repo.exitCode).not.toBe(0);
    // Read-only where the host folder is visible; absent where a checkout under /tmp is hidden.
    expect(repo.output).toMatch(/Read-only file system|No such file or directory/);
    expect(existsSync(repoFile)).toBe(false);
    const inside = await s.run("echo hello > made.txt && mkdir -p deep/er && echo t > /tmp/scratch && cat /tmp/scratch");
    expect(inside.exitCode).toBe(0);
    expect(readFileSync(path.join(s.workspace, "made.txt"), "utf8")).toBe("hello\n");
    expect(existsSync("/tmp/scratch")).toBe(false); // the sandbox's /tmp is private
  });

  it("cannot read ~/.ssh, ~/.aws or other HOME dot-files; ordinary HOME files stay readable", async () => {
    const s = setup();
    const ssh = await s.run(`cat ${s.home}/.ssh/id_ed25519`);
    expect(ssh.exitCode).not.toBe(0);
    expect(ssh.output).not.toContain("PRIVATE KEY MATERIAL");
    const listing = await s.run(`ls -A ${s.home}/.ssh | wc -l`);
    expect(listing.output.trim()).toBe("0");
    const aws = await s.run(`cat ${s.home}/.aws/credentials ${s.home}/.npmrc`);
    expect(aws.output).not.toContain("aws_secret_access_key");
    expect(aws.output).not.toContain("_authToken");
    const notes = await s.run(`cat ${s.home}/notes.txt`);
    expect(notes.output).toContain("not a dot-file");
  });

  it("cannot open a network connection, even to a server on this machine", async () => {
    const s = setup();
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

  it("reaches allowed hosts through the filtering proxy, and nothing else", async () => {
    const s = setup();
    const server = createHttpServer((_req, res) => res.end("hello through the proxy\n"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    const seen: [string, boolean][] = [];
    const runner = createSandboxedRunner({ workspace: s.workspace, home: s.home, allowedHosts: ["localhost"], onHostRequest: (h, a) => seen.push([h, a]) });
    const run = (command: string) => runner.run(command, { cwd: s.workspace, timeoutMs: 20_000, maxOutputBytes: 100_000 });
    try {
      // NO_PROXY keeps the sandbox's own localhost direct, so ask curl to use the proxy explicitly.
      const allowed = await run(`curl -s --noproxy '' -x "$HTTP_PROXY" http://localhost:${port}/`);
      expect(allowed.output).toContain("hello through the proxy");
      const denied = await run(`curl -s --noproxy '' -x "$HTTP_PROXY" http://127.0.0.1:${port}/`);
      expect(denied.output).toContain("not an allowed host");
      const direct = await run(`exec 3<>/dev/tcp/127.0.0.1/${port} && echo connected`);
      expect(direct.output).not.toContain("connected");
      expect(seen).toEqual([["localhost", true], ["127.0.0.1", false]]);
    } finally {
      server.close();
    }
  });

  it("can build and test a project inside the workspace", async () => {
    const s = setup();
    writeFileSync(path.join(s.workspace, "package.json"), JSON.stringify({ name: "p", type: "module", scripts: { build: "node build.js", test: "node --test" } }));
    writeFileSync(path.join(s.workspace, "build.js"), "import { mkdirSync, writeFileSync } from 'node:fs'; mkdirSync('dist', { recursive: true }); writeFileSync('dist/sum.js', 'export const sum = (a, b) => a + b;');");
    writeFileSync(path.join(s.workspace, "sum.test.js"), "import test from 'node:test'; import assert from 'node:assert'; import { sum } from './dist/sum.js'; test('sum', () => assert.equal(sum(2, 3), 5));");
    const run = await s.run("npm run build --silent && npm test --silent");
    expect(run.output).toContain("pass 1");
    expect(run.exitCode).toBe(0);
    expect(existsSync(path.join(s.workspace, "dist", "sum.js"))).toBe(true);
  });

  it("without bubblewrap: a clear error, and unsandboxed only when explicitly allowed", async () => {
    expect(() => createSandboxedRunner({ workspace: os.tmpdir(), bwrap: "/nonexistent/bwrap" })).toThrow(SandboxUnavailable);
    const fallback = createSandboxedRunner({ workspace: os.tmpdir(), bwrap: "/nonexistent/bwrap", allowUnsandboxed: true });
    expect((await fallback.run("echo plain", { cwd: os.tmpdir(), timeoutMs: 5_000, maxOutputBytes: 1_000 })).output).toBe("plain\n");
    const env = cleanEnv({ PATH: "/nonexistent" });
    const scenario = path.join(mkdtempSync(path.join(os.tmpdir(), "colleague-sc-")), "s.json");
    writeFileSync(scenario, JSON.stringify({ steps: [{ text: "hi" }] }));
    const out = await runCli(["run", "hi", "--model", `scripted:${scenario}`, "--cwd", os.tmpdir()], { env });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("bubblewrap");
    expect(out.stderr).toContain("--sandbox off");
  });
});
