import { test } from "node:test";
import assert from "node:assert/strict";
import { parseCsvLine } from "./csv.mjs";
test("plain", () => assert.deepEqual(parseCsvLine("a,b,c"), ["a", "b", "c"]));
test("quoted comma", () => assert.deepEqual(parseCsvLine('1,"Smith, Ann",x'), ["1", "Smith, Ann", "x"]));
test("escaped quote", () => assert.deepEqual(parseCsvLine('"say ""hi""",2'), ['say "hi"', "2"]));
test("empty fields", () => assert.deepEqual(parseCsvLine(",,"), ["", "", ""]));
