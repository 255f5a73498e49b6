import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { makeUser } from "./store.mjs";
import { greet } from "./greet.mjs";
test("renamed", () => { const u = makeUser(1, " ada "); assert.deepEqual(u, { id: 1, username: "ada" }); assert.equal(greet(u), "Hello, ada!"); for (const f of ["types.ts", "greet.ts", "store.ts"]) assert.doesNotMatch(readFileSync(f, "utf8"), /userName/); });
