import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { MAX_RETRIES } from "./limits.mjs";
import { shouldRetryFetch } from "./fetcher.mjs";
import { requeue } from "./queue.mjs";
import { workerRetries } from "./worker.mjs";
test("one constant", () => { assert.equal(MAX_RETRIES, 3); for (const f of ["fetcher.mjs", "queue.mjs", "worker.mjs"]) { const src = readFileSync(f, "utf8"); assert.match(src, /import \{[^}]*MAX_RETRIES[^}]*\} from "\.\/limits\.mjs"/); assert.doesNotMatch(src, /\b3\b/); } });
test("behaviour kept", () => { assert.equal(shouldRetryFetch(2), true); assert.equal(shouldRetryFetch(3), false); assert.equal(requeue({ tries: 3 }), "dead"); assert.equal(requeue({ tries: 1 }), "again"); assert.equal(workerRetries(), 3); });
