import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a build script, plain JavaScript
import { ruleGateTable } from "../../scripts/rule-gates.mjs";
import { defaultRedTeamPath, itemText, loadRedTeamSets, parseRedTeam, type RedTeamItem, stageOf } from "../../src/policy/monitors/dataset.js";
import { GateText, gatedTest, gateOf, gateSignature, gramsOf, primeGates } from "../../src/policy/monitors/literal-gate.js";
import { literalGate } from "../../src/policy/monitors/literal-parse.js";
import { screenText } from "../../src/policy/monitors/normalise.js";
import { RULE_PATTERNS } from "../../src/policy/monitors/rules.js";

/**
 * A literal gate may only ever skip a pattern that could not have matched: checked on every
 * pattern the rules test, against every text the project has (the blind sets never looked at
 * excepted: no monitor code runs on them outside their first run), as written, normalised as
 * the monitors read it, and (the red-team sets) in capitals.
 */

const data = path.dirname(defaultRedTeamPath()!);
const corpusFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? corpusFiles(path.join(dir, e.name)) : e.name.endsWith(".jsonl") ? [path.join(dir, e.name)] : [],
  );
const redTeam = loadRedTeamSets(defaultRedTeamPath()!)
  .filter((s) => s.lookedAt)
  .flatMap((s) => s.items);
const corpus = corpusFiles(path.join(data, "corpus")).flatMap((f) => parseRedTeam(readFileSync(f, "utf8"), path.basename(f)));
const readings = (item: RedTeamItem) => {
  const raw = itemText(item);
  return [raw, screenText(raw, stageOf(item))];
};
// Capitals for the red-team sets, where the patterns match most.
const texts = [...new Set([...corpus.flatMap(readings), ...redTeam.flatMap(readings).flatMap((t) => [t, t.toUpperCase()])])];

describe("literal gates", () => {
  it("read the literals a match needs", () => {
    expect(literalGate(/(ba|z)?sh\b/i)?.sort()).toEqual(["sh"]);
    expect(literalGate(/\bdrop\s+(schema|database)\b/i)?.sort()).toEqual(["database", "schema"]);
    expect(literalGate(/\bkey ?loggers?\b/i)?.sort()).toEqual(["key logger", "keylogger"]);
    expect(literalGate(/\bfoo(bar|baz)+qux/i)).toEqual(["foo"]);
    expect(literalGate(/\x41\.exe/)).toEqual(["a.exe"]);
    expect(literalGate(/勒索|赎金/)).toEqual(["勒索", "赎金"]);
    // Case-sensitive patterns are gated on the lowercased text too.
    expect(literalGate(/(^|\n)\s*SYSTEM:/)).toEqual(["system:"]);
  });

  it("give no gate where a match needs no literal, or where case folding is not modelled", () => {
    for (const re of [/\w+@\w+/, /a?b?/, /(x|)/, /[abc]{3}/, /ς/i, /Ж/i, /\u00dc/i, /k/iu, /(a)\1/]) {
      const gate = literalGate(re);
      if (gate) expect(gate.every((s) => s.length > 0 && /^[\x00-\x7f]+$/.test(s)), String(re)).toBe(true);
      else expect(gate, String(re)).toBeUndefined();
    }
    expect(literalGate(/ς/i)).toBeUndefined();
    expect(literalGate(/k/iu)).toBeUndefined();
  });

  it("skip by the lowercased text and run the pattern otherwise", () => {
    const text = new GateText("Write a KEYLOGGER for me, then a 勒索 note");
    expect(gatedTest(/\bkey ?loggers?\b/i, text)).toBe(true);
    // The gate passes ("keylogger" is there); the pattern itself still decides.
    expect(gatedTest(/\bkeyloggers\b/i, text)).toBe(false);
    expect(gatedTest(/勒索/, text)).toBe(true);
    // Short literals (under three characters) are searched for directly.
    expect(gatedTest(/\bme\b/i, text)).toBe(true);
    expect(gatedTest(/\bzz\b/i, text)).toBe(false);
    for (const t of ["", "a", "ab", "abc"]) expect(gatedTest(/abc/, new GateText(t)), t).toBe(t === "abc");
  });

  it("every rule pattern has a gate", () => {
    const ungated = RULE_PATTERNS.filter((re) => !literalGate(re)).map(String);
    expect(ungated).toEqual([]);
  });

  it(`never skip a pattern that matches (${RULE_PATTERNS.length} patterns, every looked-at text)`, () => {
    expect(texts.length).toBeGreaterThan(20_000);
    const read = texts.map((t) => new GateText(t));
    const wrong: string[] = [];
    for (const re of RULE_PATTERNS) {
      for (const [i, text] of texts.entries()) {
        if (!read[i].passes(gateOf(re)) && re.test(text)) wrong.push(`${re} skipped on ${JSON.stringify(text.slice(0, 80))}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it("are computed by the build in the order of the patterns, and a table that does not line up is not used", async () => {
    const table = await ruleGateTable();
    expect(table.gates).toEqual(RULE_PATTERNS.map((re) => ({ signature: gateSignature(re), gate: literalGate(re) ?? null })));
    const grams = Buffer.from(table.grams, "base64");
    expect([...new Uint32Array(grams.buffer, grams.byteOffset, grams.length / 4)]).toEqual([...gramsOf(table.gates.flatMap((g: { gate: string[] | null }) => g.gate ?? []))]);
    const tableOf = (entries: { signature: string; gate: string[] }[]) => {
      const hashes = gramsOf(entries.flatMap((e) => e.gate));
      return { gates: entries, grams: Buffer.from(hashes.buffer).toString("base64") };
    };
    // A table for other patterns: each pattern's own gate is read instead (the text has "x" only).
    const a = /\bkeylogger\b/i;
    const b = /\bx\b|\by\b/i;
    primeGates([a, b], tableOf([
      { signature: gateSignature(b), gate: ["never"] },
      { signature: gateSignature(a), gate: ["never"] },
    ]));
    expect(gatedTest(b, new GateText("x"))).toBe(true);
    // One that does is used as it stands, trigram hashes and all.
    const c = /\bzz\b|\bzzz\b/i;
    primeGates([c], tableOf([{ signature: gateSignature(c), gate: ["never", "zzz"] }]));
    expect(gatedTest(c, new GateText("zz"))).toBe(false);
    expect(gatedTest(c, new GateText("a zzz"))).toBe(true);
  }, 60_000);
});
