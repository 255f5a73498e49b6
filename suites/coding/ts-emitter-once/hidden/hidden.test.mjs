import { test } from "node:test";
import assert from "node:assert/strict";
import { Emitter } from "./emitter.mjs";
test("once fires once", () => { const e = new Emitter(); const seen = []; e.once("saved", (p) => seen.push(p.id)); e.emit("saved", { id: 1 }); e.emit("saved", { id: 2 }); assert.deepEqual(seen, [1]); });
test("on still repeats", () => { const e = new Emitter(); let n = 0; e.on("x", () => n++); e.emit("x"); e.emit("x"); assert.equal(n, 2); });
