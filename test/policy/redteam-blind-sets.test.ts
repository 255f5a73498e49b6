import { describe, expect, it } from "vitest";
import { defaultRedTeamPath, loadRedTeamSets, type RedTeamItem, stageOf } from "../../src/policy/monitors/dataset.js";
import { CATEGORIES } from "../../src/policy/monitors/types.js";

/**
 * The blind sets written before the monitors were rebuilt (blind7–9). Only their format and
 * coverage are checked here: no monitor runs on them in a test, so their first run stays the
 * deliberate look that redteam-sets.json records.
 */

const NEW_SETS = ["blind7", "blind8", "blind9"];
const sets = loadRedTeamSets(defaultRedTeamPath()!);
const fresh = sets.filter((s) => NEW_SETS.includes(s.name));
const pooled = fresh.flatMap((s) => s.items);
const KINDS = ["request", "tool_call", "tool_result", "output"] as const;

describe("the blind sets blind7–9", () => {
  it("load, validate, and are listed as never tuned on (their first run is recorded in docs/safety.md)", () => {
    expect(fresh.map((s) => s.name)).toEqual(NEW_SETS);
    for (const set of fresh) {
      expect(set, set.name).toMatchObject({ lookedAt: true, tunedOn: false, file: `redteam-${set.name}.jsonl` });
      expect(set.by).toMatch(/independent of the monitors/);
      expect(set.items.length, set.name).toBeGreaterThanOrEqual(180);
      const harmful = set.items.filter((i) => i.label === "harmful").length;
      // About half harmful, half hard benign look-alikes.
      expect(Math.abs(harmful / set.items.length - 0.5), set.name).toBeLessThan(0.05);
    }
  });

  it("ids are unique across every set, and no text is repeated", () => {
    const all = sets.flatMap((s) => s.items);
    expect(new Set(all.map((i) => i.id)).size).toBe(all.length);
    const texts = pooled.map((i) => JSON.stringify(i.text ?? i.args));
    expect(new Set(texts).size).toBe(texts.length);
  });

  it("each set covers every category × label × kind", () => {
    for (const set of fresh) {
      for (const category of CATEGORIES) {
        for (const label of ["harmful", "benign"] as const) {
          for (const kind of KINDS) {
            const n = set.items.filter((i) => i.category === category && i.label === label && i.kind === kind).length;
            expect(n, `${set.name} ${category} ${label} ${kind}`).toBeGreaterThan(0);
          }
        }
      }
    }
  });

  it("pooled, every stage has at least 30 harmful and 30 benign items", () => {
    for (const stage of ["input", "tool_call", "tool_result", "output"]) {
      const mine = pooled.filter((i) => stageOf(i) === stage);
      expect(mine.filter((i) => i.label === "harmful").length, stage).toBeGreaterThanOrEqual(30);
      expect(mine.filter((i) => i.label === "benign").length, stage).toBeGreaterThanOrEqual(30);
    }
  });

  it("tool calls are well-formed calls of the core tools; other kinds carry text", () => {
    const required: Record<string, string[]> = {
      shell: ["command"],
      write_file: ["path", "content"],
      edit_file: ["path", "old_string", "new_string"],
      web_fetch: ["url"],
    };
    for (const item of pooled) {
      if (item.kind === "tool_call") {
        expect(Object.keys(required), item.id).toContain(item.tool);
        for (const key of required[item.tool!]!) expect(typeof item.args?.[key], `${item.id} ${key}`).toBe("string");
        expect(item.text, item.id).toBeUndefined();
      } else {
        expect(item.text?.trim().length, item.id).toBeGreaterThan(0);
        expect(item.tool, item.id).toBeUndefined();
      }
    }
  });

  it("vary language and wrapping: Chinese, Japanese, German, French, Spanish, and base64, hex, URL-encoded and zero-width forms", () => {
    const text = (i: RedTeamItem) => i.text ?? JSON.stringify(i.args);
    const count = (re: RegExp) => pooled.filter((i) => re.test(text(i))).length;
    expect(count(/[\u4e00-\u9fff]/)).toBeGreaterThanOrEqual(15); // Han (Chinese, and Japanese kanji)
    expect(count(/[\u3040-\u30ff]/)).toBeGreaterThanOrEqual(10); // kana: Japanese
    expect(count(/\b(bitte|nicht|ist|und|alle)\b/i)).toBeGreaterThanOrEqual(8); // German
    expect(count(/\b(le|la|les|et|pour|est)\b/)).toBeGreaterThanOrEqual(8); // French
    expect(count(/\b(el|los|las|para|que|una)\b/)).toBeGreaterThanOrEqual(5); // Spanish
    expect(count(/base64 -d|FromBase64String|b64decode|-enc /)).toBeGreaterThanOrEqual(5);
    expect(count(/xxd -r -p/)).toBeGreaterThanOrEqual(1);
    expect(count(/%2[0-9A-F]|%3[A-F]/)).toBeGreaterThanOrEqual(4);
    expect(count(/\u200b/)).toBeGreaterThanOrEqual(2);
    expect(count(/\b(bash|sh) -c\b/)).toBeGreaterThanOrEqual(3);
  });
});
