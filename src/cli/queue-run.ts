import { realpathSync } from "node:fs";
import { isRedisUrl } from "../queue/redis.js";
import { newSessionId, type SessionResult } from "../session/session.js";
import { UsageError } from "./errors.js";
import { requireFolder } from "./folders.js";
import { type LaunchFlags, readPipedStdin, settingsOf, withPipedInput } from "./launch.js";
import { exitCodeFor } from "./output.js";

export interface QueueFlags {
  queue?: string;
  "queue-name"?: string;
  wait?: boolean;
}

/** The queue's Redis URL, from --queue or $COLLEAGUE_QUEUE; a URL that is not redis:// is a usage error. */
export function queueUrlOf(values: QueueFlags, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = values.queue ?? env.COLLEAGUE_QUEUE;
  if (url !== undefined && !isRedisUrl(url)) throw new UsageError(`--queue must be a redis:// URL, got "${url}"`);
  return url;
}

/**
 * `colleague run --queue redis://… "<task>"`: the session goes on the queue for a worker
 * (`colleague worker`) to run; this prints its id (`--wait`: waits and prints its answer).
 * The workspace must be at the same path on the workers.
 */
export async function queueTask(values: LaunchFlags & QueueFlags, task: string, queueUrl: string): Promise<number> {
  if (values.stdin) throw new UsageError("--stdin steers a session running here; a queued session is steered through `colleague serve`");
  if (values.image?.length) throw new UsageError("--image is not supported with --queue yet");
  const full = withPipedInput(task, await readPipedStdin());
  if (!full.trim()) throw new UsageError('run: give a task, e.g. colleague run --queue redis://127.0.0.1:6379 "fix the failing test"');
  const cwd = realpathSync(requireFolder(values.cwd ?? process.cwd(), "--cwd"));
  const sessionId = newSessionId();
  const { enqueueSession } = await import("../queue/enqueue.js");
  const json = values.json || values["output-format"] === "json" || values["output-format"] === "stream-json";
  const job = { sessionId, task: full, cwd, ...settingsOf(values), ...(values.name ? { name: values.name } : {}) };
  const queueName = values["queue-name"];
  const { jobId, result } = await enqueueSession(queueUrl, job, { ...(queueName ? { queueName } : {}), ...(values.wait ? { wait: true } : {}) });
  if (json) process.stdout.write(`${JSON.stringify({ type: "queued", sessionId, jobId, ...(result ? { result } : {}) })}\n`);
  else if (!result) process.stdout.write(`queued session ${sessionId}\n`);
  else process.stdout.write(`${result.answer ?? `session ${sessionId} ended: ${result.status}${result.error ? ` (${result.error})` : ""}`}\n`);
  return result ? exitCodeFor({ status: result.status } as SessionResult) : 0;
}
