import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeIfAvailable } from "../requires.js";
import { attack, attackUsers, BACKENDS, backendMissing, cleanUp, giveTo, marker, type Outcome, place, spawnAs } from "./sandbox-helpers.js";

/**
 * Attacks on the sandbox from inside, as root and as an unprivileged user, on every backend:
 * each must fail, and where a control makes sense it shows the same step works outside.
 */

afterAll(cleanUp);

const q = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** A shell command that connects to a unix socket (a leading NUL: abstract) and says whether it could. */
function connectCommand(target: string): string {
  const js = `const s=require("net").connect(${JSON.stringify(target)});s.on("connect",()=>{s.end("from the sandbox");console.log("CONNECTED")});s.on("error",e=>console.log("REFUSED "+e.code))`;
  return `node -e ${q(js)}`;
}

/** A host unix-socket listener, where a real one would be: under /run (or the user's runtime folder). */
function socketFolder(): string | undefined {
  for (const parent of ["/run", `/run/user/${process.getuid?.()}`]) {
    try {
      const dir = mkdtempSync(path.join(parent, "colleague-test-"));
      chmodSync(dir, 0o755);
      return dir;
    } catch {
      // not writable here
    }
  }
  return undefined;
}

interface Listener {
  server: Server;
  received: string[];
  target: string;
}

async function listen(target: string): Promise<Listener> {
  const received: string[] = [];
  const server = createServer((socket) => socket.on("data", (d) => received.push(String(d))));
  await new Promise<void>((resolve) => server.listen(target, resolve));
  if (!target.startsWith("\0")) chmodSync(target, 0o777);
  return { server, received, target };
}

const secrets = {
  ANTHROPIC_API_KEY: `sk-ant-secret-${Math.random().toString(36).slice(2)}`,
  OPENAI_API_KEY: `sk-openai-secret-${Math.random().toString(36).slice(2)}`,
  GITHUB_TOKEN: `ghp_secret${Math.random().toString(36).slice(2)}`,
  AWS_SECRET_ACCESS_KEY: `aws-secret-${Math.random().toString(36).slice(2)}`,
};

const lines = (o: Outcome) => o.output.split("\n");
const field = (o: Outcome, name: string) => lines(o).find((l) => l.startsWith(`${name}=`))?.slice(name.length + 1);
const statusField = (o: Outcome, name: string) =>
  lines(o)
    .find((l) => l.startsWith(`${name}:`))
    ?.slice(name.length + 1)
    .trim();

for (const user of attackUsers()) {
  for (const backend of BACKENDS) {
    const missing = user.missing ?? backendMissing(backend);
    describeIfAvailable(`the sandbox as ${user.name} (${backend})`, missing, () => {
      let folder: string | undefined;
      let hostSleeper: ChildProcess | undefined;
      const hostMark = marker();
      beforeAll(() => {
        folder = socketFolder();
        hostSleeper = spawn("sleep", [hostMark], { stdio: "ignore" });
      });
      afterAll(() => {
        hostSleeper?.kill("SIGKILL");
        if (folder) rmSync(folder, { recursive: true, force: true });
      });

      it("has no capabilities, no_new_privs and the seccomp filter; umount ~/.ssh, remount / and /proc/sys writes fail", async () => {
        const p = place(user);
        const [status, umount, remount, kernel] = await attack(user, backend, [
          {
            workspace: p.workspace,
            home: p.home,
            commands: [
              "grep -E '^(CapInh|CapPrm|CapEff|CapAmb|NoNewPrivs|Seccomp):' /proc/self/status",
              `umount ${p.home}/.ssh; echo "umount=$?"; cat ${p.home}/.ssh/id_ed25519; echo; echo "entries=$(ls -A ${p.home}/.ssh | wc -l)"`,
              `mount -o remount,rw,bind /; echo "remount=$?"; echo x > ${p.outside}/after-remount.txt; echo "write=$?"`,
              [
                `: >> /proc/sys/kernel/core_pattern; echo "sysctl=$?"`,
                `unshare --user --map-root-user true; echo "userns=$?"`,
                `[ -e /dev/kmsg ] || [ -e /dev/loop0 ] || [ -e /dev/vda ] || [ -e /dev/sda ]; echo "devices=$?"`,
              ].join("; "),
            ],
          },
        ]);
        for (const cap of ["CapInh", "CapPrm", "CapEff", "CapAmb"]) expect(statusField(status!, cap)).toBe("0000000000000000");
        expect(statusField(status!, "NoNewPrivs")).toBe("1");
        expect(statusField(status!, "Seccomp")).toBe("2");

        expect(field(umount!, "umount")).not.toBe("0");
        expect(umount!.output).not.toContain("PRIVATE KEY MATERIAL");
        expect(field(umount!, "entries")).toBe("0");

        expect(field(remount!, "remount")).not.toBe("0");
        expect(field(remount!, "write")).not.toBe("0");
        expect(existsSync(path.join(p.outside, "after-remount.txt"))).toBe(false);

        expect(field(kernel!, "sysctl")).not.toBe("0");
        expect(field(kernel!, "userns")).not.toBe("0");
        expect(field(kernel!, "devices")).toBe("1");
      });

      it("cannot reach a host unix socket under /run, nor an abstract one", async (context) => {
        if (!folder) context.skip();
        const p = place(user);
        const onRun = await listen(path.join(folder!, "service.sock"));
        const abstract = await listen(`\0colleague-test-${Math.random().toString(36).slice(2)}`);
        try {
          const control = await new Promise<string>((resolve) => {
            const child = spawnAs(user, ["/bin/sh", "-c", `${connectCommand(onRun.target)}; ${connectCommand(abstract.target)}`], { env: { PATH: process.env.PATH }, cwd: p.workspace });
            let out = "";
            child.stdout!.on("data", (d: Buffer) => (out += d));
            child.on("close", () => resolve(out));
          });
          // Outside the sandbox the same user reaches both: the listeners are real doors.
          expect(control.match(/CONNECTED/g)?.length).toBe(2);
          onRun.received.length = 0;
          abstract.received.length = 0;

          const [inside] = await attack(user, backend, [
            { workspace: p.workspace, home: p.home, commands: [`ls -A /run /var/run; ${connectCommand(onRun.target)}; ${connectCommand(abstract.target)}`] },
          ]);
          expect(inside!.output, inside!.output).not.toContain("CONNECTED");
          expect(inside!.output.match(/^REFUSED/gm)?.length, inside!.output).toBe(2);
          expect(inside!.output).not.toContain(path.basename(folder!));
          await new Promise((r) => setTimeout(r, 100));
          expect(onRun.received).toEqual([]);
          expect(abstract.received).toEqual([]);
        } finally {
          onRun.server.close();
          abstract.server.close();
        }
      });

      it("sees no host process and no secret of the parent's environment, in /proc/1/environ or anywhere", async () => {
        const p = place(user);
        const [procs] = await attack(
          user,
          backend,
          [
            {
              workspace: p.workspace,
              home: p.home,
              commands: [
                "echo pid1=$(tr '\\0' ' ' < /proc/1/cmdline); tr '\\0' '\\n' < /proc/1/environ; echo; for f in /proc/[0-9]*; do tr '\\0' '\\n' < $f/environ; tr '\\0' ' ' < $f/cmdline; echo; done 2>/dev/null; env; echo count=$(ls /proc | grep -c '^[0-9]')",
              ],
            },
          ],
          secrets,
        );
        for (const value of Object.values(secrets)) expect(procs!.output).not.toContain(value);
        for (const name of Object.keys(secrets)) expect(procs!.output).not.toContain(`${name}=`);
        expect(procs!.output).not.toContain(hostMark);
        expect(Number(field(procs!, "count"))).toBeLessThan(10);
        if (existsSync("/proc/1/cmdline") && process.getuid?.() === 0) {
          const hostInit = readFileSync("/proc/1/cmdline", "utf8").replaceAll("\0", " ").trim();
          expect(field(procs!, "pid1")?.trim()).not.toBe(hostInit);
        }
      });

      it("cannot plant a git hook or change .git/config (nor swap .git), and git still commits", async () => {
        const p = place(user);
        const configBefore = readFileSync(path.join(p.workspace, ".git", "config"), "utf8");
        // A workspace inside a repository: the repository's git folder is out of reach too.
        const sub = path.join(p.workspace, "sub");
        mkdirSync(sub);
        giveTo(sub, user.uid);
        const [plant, commit, fromSub] = await attack(user, backend, [
          {
            workspace: p.workspace,
            home: p.home,
            commands: [
              [
                `echo 'echo pwned > ${p.outside}/pwned' > .git/hooks/pre-commit; echo "hook=$?"`,
                `printf '[core]\\n\\thooksPath = ${p.outside}\\n' >> .git/config; echo "config=$?"`,
                `mv .git .git-moved; echo "move=$?"`,
                `rm -rf .git/hooks; echo "rmhooks=$?"`,
              ].join("; "),
              "git add README.md && git commit -qm 'made in the sandbox' && echo COMMITTED",
            ],
          },
          { workspace: sub, home: p.home, commands: [`echo 'echo pwned' > ../.git/hooks/pre-commit; echo "hook=$?"`] },
        ]);
        for (const name of ["hook", "config", "move", "rmhooks"]) expect(field(plant!, name), name).not.toBe("0");
        expect(field(fromSub!, "hook")).not.toBe("0");
        expect(existsSync(path.join(p.workspace, ".git", "hooks", "pre-commit"))).toBe(false);
        expect(existsSync(path.join(p.workspace, ".git-moved"))).toBe(false);
        expect(readFileSync(path.join(p.workspace, ".git", "config"), "utf8")).toBe(configBefore);
        expect(commit!.output).toContain("COMMITTED");
        const log = execFileSync("git", ["-c", "safe.directory=*", "-C", p.workspace, "log", "--format=%s %an"], { encoding: "utf8" });
        expect(log).toBe("made in the sandbox Sandbox Tester\n");
        expect(existsSync(path.join(p.outside, "pwned"))).toBe(false);
      });
    });
  }
}
