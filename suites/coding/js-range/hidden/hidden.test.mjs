import { test } from "node:test";
import assert from "node:assert/strict";
import { range } from "./range.mjs";
test("up", () => assert.deepEqual(range(0, 5, 2), [0, 2, 4]));
test("down", () => assert.deepEqual(range(5, 0, -2), [5, 3, 1]));
test("zero step", () => assert.throws(() => range(0, 3, 0), RangeError));
