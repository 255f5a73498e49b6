import { evalStoreLocation, openEvalStore } from "../eval/eval-store.js";
import { Host } from "../host/host.js";
import { storeLocation } from "../host/store-location.js";
import { isPostgresUrl, openSessionStore } from "../store/open.js";
import { intFlag } from "./args.js";
import { parseFlags } from "./args.js";
import { COMMANDS } from "./commands.js";
import { UsageError } from "./errors.js";
import { queueUrlOf } from "./queue-run.js";

/**
 * `colleague worker --queue redis://… --store postgres://…`: runs queued sessions, on as many
 * machines as there are workers. Each session goes through the host (its guard: permissions,
 * sandbox, monitors, audit); nobody is there to approve, so what needs approval is denied.
 */
export async function workerCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, COMMANDS.worker.flags, "worker");
  const queueUrl = queueUrlOf(values);
  if (!queueUrl) throw new UsageError("worker: give the queue, e.g. colleague worker --queue redis://127.0.0.1:6379 --store postgres://…");
  const location = storeLocation(process.env, values.store);
  if (!isPostgresUrl(location)) {
    process.stderr.write(`colleague: the store is ${location}, which only this machine sees; workers elsewhere need a shared one (--store postgres://…)\n`);
  }
  const concurrency = intFlag(values.concurrency, "concurrency") ?? 1;
  const lockSeconds = intFlag(values["lock-seconds"], "lock-seconds");
  const perMinute = intFlag(values["requests-per-minute"], "requests-per-minute");
  const notice = (line: string) => process.stderr.write(`colleague: ${line}\n`);
  const host = new Host({ store: openSessionStore(location), onNotice: notice });
  const { startWorker } = await import("../queue/worker.js");
  // Runs of a scaled-out evaluation (eval run --queue) are recorded where the coordinator waits for them.
  const evalStore = await openEvalStore(evalStoreLocation(process.env, { store: location }));
  const { EVAL_JOB_NAME, evalJobHandler } = await import("../eval/eval-job.js");
  const worker = await startWorker({
    redisUrl: queueUrl,
    host,
    concurrency,
    ...(values["queue-name"] ? { queueName: values["queue-name"] } : {}),
    ...(lockSeconds ? { lockMs: lockSeconds * 1000 } : {}),
    ...(perMinute ? { rateLimit: { requests: perMinute, windowMs: 60_000 } } : {}),
    onNotice: notice,
    onLog: (line) => process.stdout.write(`${line}\n`),
    handlers: { [EVAL_JOB_NAME]: evalJobHandler(host, evalStore, { onLog: (line) => process.stdout.write(`${line}\n`) }) },
  });
  process.stdout.write(`colleague worker ${process.pid}: ${concurrency} at a time from ${queueUrl.replace(/\/\/[^@/]*@/, "//***@")}\n`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await worker.close();
  evalStore.close();
  host.close();
  return 0;
}
