import { test } from "node:test";
import assert from "node:assert/strict";
import { merge } from "./merge.mjs";
test("nested", () => assert.deepEqual(merge({ x: { a: 1, b: 2 }, y: 1 }, { x: { b: 3, c: 4 } }), { x: { a: 1, b: 3, c: 4 }, y: 1 }));
test("arrays replaced", () => assert.deepEqual(merge({ l: [1, 2] }, { l: [3] }), { l: [3] }));
test("inputs untouched", () => { const a = { x: { a: 1 } }; const b = { x: { b: 2 } }; merge(a, b); assert.deepEqual(a, { x: { a: 1 } }); assert.deepEqual(b, { x: { b: 2 } }); });
