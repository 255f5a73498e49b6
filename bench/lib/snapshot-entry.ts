/**
 * The entry of a V8 startup snapshot of the non-TUI CLI, for bench/snapshot-probe.mjs only (issue
 * 19; not part of the build: bench/README.md "Startup snapshot: measured with a probe" has the
 * figures and why it is not shipped). Bundled as CommonJS and run once by
 * `node --snapshot-blob X --build-snapshot`: it evaluates the modules `run` and the one-shot root
 * command use and builds what they would otherwise build on every start (the tool specs' JSON
 * schemas, the monitors' classifier, their rules used once), then Node serialises the heap.
 * `node --snapshot-blob X bin/colleague.js ARGS…` later starts from that heap and calls the
 * function given to `setDeserializeMainFunction`, which runs main.ts (argv[1] is the script, as
 * main.ts expects).
 *
 * What must not be in the heap: anything read from the environment, the working folder or argv
 * at build time (none of these modules reads them at import; the probe checks a sentinel HOME),
 * open handles, native addons (better-sqlite3 is required on first use, after deserialising) and
 * node:http/https/tls/http2 (the blob writer aborts). The bundle's wrapper (in the probe)
 * supplies `__snapshot_runtime` and stand-ins for those: the real `require` and `import()` for
 * packages outside the bundle and the bundle's own file URL, set when the process starts.
 */
import { startupSnapshot } from "node:v8";
import { Monitor } from "../../src/policy/monitors/monitor.js";
import { defaultTools, toolSpec } from "../../src/tools/index.js";

interface SnapshotRuntime {
  /** Called first thing after deserialising: points `import.meta.url`, require and import() at the install. */
  start(): void;
}
declare const __snapshot_runtime: SnapshotRuntime;
/** How much to build ahead (the probe compares them): module bodies only, + tool schemas, + the monitors (default). */
declare const __SNAPSHOT_WARM__: "modules" | "schemas" | "full" | undefined;
const level = typeof __SNAPSHOT_WARM__ === "string" ? __SNAPSHOT_WARM__ : "full";

async function warm(): Promise<void> {
  // Module bodies (esbuild turns these into synchronous init calls in CommonJS output).
  await import("../../src/cli/run.js");
  await import("../../src/cli/print.js");
  await import("../../src/cli/args.js");
  await import("../../src/cli/launch.js");
  if (level === "modules") return;
  // The tool specs' JSON schemas: cached per tool object (src/tools/define.ts).
  for (const tool of defaultTools()) toolSpec(tool);
  if (level === "schemas") return;
  // The classifier's weights decoded into the shared model, the rules' patterns used once.
  const monitor = new Monitor();
  for (const stage of ["input", "output", "tool_result"] as const) monitor.screen({ stage, text: "Fix the failing test and note it in the changelog." });
}

startupSnapshot.setDeserializeMainFunction(() => {
  __snapshot_runtime.start();
  void import("../../src/cli/main.js");
});

void warm();
