import { test } from "node:test";
import assert from "node:assert/strict";
import { mergeIntervals } from "./intervals.mjs";
test("unsorted", () => assert.deepEqual(mergeIntervals([[8, 10], [1, 3], [2, 6], [15, 18]]), [[1, 6], [8, 10], [15, 18]]));
test("input kept", () => { const input = [[5, 6], [1, 2]]; mergeIntervals(input); assert.deepEqual(input, [[5, 6], [1, 2]]); });
