import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ProcessRunner, RunOptions, RunResult } from "../../tools/io.js";
import { defaultEnv, localProcessRunner } from "../../tools/local-io.js";
import { ripgrepPath } from "../../tools/ripgrep.js";
import { type HostProxy, PROXY_PORT, startHostProxy, writeBridge } from "../host-proxy.js";
import { scrubEnv } from "./env.js";
import { type MountPlan, mountPlan } from "./home.js";
import type { SandboxOptions } from "./options.js";
import { findOnPath } from "./probe.js";

/**
 * What both backends share: a private /tmp per runner, the filtering proxy for allowedHosts, the
 * mount plan worked out afresh for each command (HOME changes while a session runs), and an
 * environment without secrets. A backend only turns that into its own command line.
 */

export interface SandboxCommand {
  /** The shell script to run inside (the command, behind the proxy bridge when proxied). */
  script: string;
  cwd: string;
  plan: MountPlan;
  /** A host folder, private to this runner, mounted on /tmp inside. */
  privateTmp: string;
  network: boolean;
}

/** Turns one command into the command line (already quoted) that runs it in the sandbox, and what to clean up after it. */
export type BuildLine = (command: SandboxCommand) => { line: string; after?: () => void };

export const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

export function sandboxRunner(options: SandboxOptions, build: BuildLine, inner: ProcessRunner = localProcessRunner): ProcessRunner {
  const proxied = !options.network && (options.allowedHosts?.length ?? 0) > 0;
  let privateTmp: string | undefined;
  let proxy: Promise<HostProxy> | undefined;
  return {
    async run(command: string, run: RunOptions): Promise<RunResult> {
      privateTmp ??= mkdtempSync(path.join(os.tmpdir(), "colleague-sandbox-"));
      const env: NodeJS.ProcessEnv = { ...scrubEnv(run.env ?? defaultEnv(), options.passEnv), TMPDIR: "/tmp" };
      let script = command;
      if (proxied) {
        const dir = privateTmp;
        proxy ??= startHostProxy(path.join(dir, ".colleague-proxy.sock"), options.allowedHosts ?? [], options.onHostRequest).then((started) => {
          writeBridge(dir);
          return started;
        });
        await proxy;
        const url = `http://127.0.0.1:${PROXY_PORT}`;
        Object.assign(env, { HTTP_PROXY: url, HTTPS_PROXY: url, http_proxy: url, https_proxy: url, NO_PROXY: "localhost,127.0.0.1", no_proxy: "localhost,127.0.0.1" });
        // Start the bridge to the proxy's socket and wait until it listens, then run the command.
        script =
          `${shellQuote(process.execPath)} /tmp/.colleague-bridge.cjs /tmp/.colleague-proxy.sock ${PROXY_PORT} >/dev/null 2>&1 &\n` +
          `for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/${PROXY_PORT}) 2>/dev/null && break; sleep 0.02; done\n${command}`;
      }
      const plan = mountPlan({
        workspace: options.workspace,
        writable: options.writable ?? [],
        home: options.home ?? os.homedir(),
        readableHome: options.readableHome ?? [],
        hidden: options.hidden ?? [],
        toolDirs: await toolDirs(),
      });
      const { line, after } = build({ script, cwd: run.cwd, plan, privateTmp, network: options.network === true });
      try {
        return await inner.run(`exec ${line}`, { ...run, env });
      } finally {
        after?.();
      }
    },
  };
}

/** The folder of the ripgrep binary grep and glob run, so the sandbox can bind it back. */
async function toolDirs(): Promise<string[]> {
  const rg = await ripgrepPath();
  const full = path.isAbsolute(rg) ? rg : findOnPath(rg);
  return full ? [path.dirname(full)] : [];
}
