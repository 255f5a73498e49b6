import { test } from "node:test";
import assert from "node:assert/strict";
import { compareVersions as c } from "./semver.mjs";
test("numeric", () => { assert.equal(c("1.10.0", "1.2.0"), 1); assert.equal(c("1.2.3", "1.2.3"), 0); assert.equal(c("0.9.9", "1.0.0"), -1); });
test("prerelease", () => { assert.equal(c("1.0.0-beta", "1.0.0"), -1); assert.equal(c("1.0.0-beta.2", "1.0.0-beta.10"), -1); assert.equal(c("1.0.0-alpha", "1.0.0-beta"), -1); });
