import { test } from "node:test";
import assert from "node:assert/strict";
import { chunk } from "./chunk.mjs";
test("partial tail", () => assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]));
test("exact", () => assert.deepEqual(chunk([1, 2, 3, 4], 2), [[1, 2], [3, 4]]));
test("empty", () => assert.deepEqual(chunk([], 3), []));
