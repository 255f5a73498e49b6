import { createRequire } from "node:module";

const load = createRequire(import.meta.url);

/**
 * Node built-ins that most commands never use, loaded on first use instead of at start: each
 * costs its process ~1 ms to load (zlib, worker_threads, readline, and the modules behind the
 * `performance` global together ~4 ms of a ~290 ms `colleague run`; bench/README.md, "Round six").
 */
function builtin<T>(name: string): () => T {
  let module: T | undefined;
  return () => {
    module ??= load(name) as T;
    return module;
  };
}

export const zlib = builtin<typeof import("node:zlib")>("node:zlib");
export const workerThreads = builtin<typeof import("node:worker_threads")>("node:worker_threads");
export const readline = builtin<typeof import("node:readline")>("node:readline");
export const readlinePromises = builtin<typeof import("node:readline/promises")>("node:readline/promises");

/** Milliseconds on a monotonic clock (what `performance.now()` gives, without loading its modules). */
export const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;
