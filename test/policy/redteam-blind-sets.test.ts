import { describe, expect, it } from "vitest";
import { defaultRedTeamPath, loadRedTeamSets, type RedTeamItem, stageOf } from "../../src/policy/monitors/dataset.js";
import { CATEGORIES } from "../../src/policy/monitors/types.js";

/**
 * The red-team sets written by independent helpers, blind to the monitors: blind7–15 (first runs
 * recorded in docs/monitor-rounds-1.md, then trained on), blind16–19 (first runs recorded, trained on in the seventh
 * round), blind20–21 (first run recorded after the seventh round, trained on in the eighth), blind22–23
 * (first run recorded after the eighth round, trained on in the ninth), blind24–25 (first run recorded
 * after the ninth round, trained on in the tenth), blind26–27 (first run recorded
 * after the tenth round, trained on in the eleventh), blind28–29 (first run recorded
 * after the eleventh round, trained on in the twelfth), blind30–31 (first run recorded after the
 * twelfth round, trained on in the thirteenth), blind32–33 (first run recorded after the
 * thirteenth round, trained on in the fourteenth), blind34–35 (first run recorded after the
 * fourteenth round, trained on in the fifteenth), blind36–37 (first run recorded after the
 * fifteenth round) and blind38–39 (first run recorded after the sixteenth round), both trained on
 * in the seventeenth; blind40–41 (first run recorded after the seventeenth round) and blind42–43
 * (first run recorded after the eighteenth round), both trained on in the nineteenth; blind44–45
 * (first run recorded after the nineteenth round) and blind46–47 (first run recorded after the
 * twentieth round, which was withdrawn), both trained on in the twenty-first; blind48–51 (first runs recorded after the twenty-first
 * round, never tuned on), blind52–53 (committed unread). Only their format and
 * coverage are checked here: no monitor runs on them in a test, so a first run stays the
 * deliberate look that redteam-sets.json records.
 */

const sets = loadRedTeamSets(defaultRedTeamPath()!);
const KINDS = ["request", "tool_call", "tool_result", "output"] as const;
const GENERATIONS = [
  { names: ["blind7", "blind8", "blind9"], lookedAt: true, tunedOn: true, minItems: 180 },
  { names: ["blind10", "blind11", "blind12", "blind13"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind14", "blind15"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind16", "blind17"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind18", "blind19"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind20", "blind21"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind22", "blind23"], lookedAt: true, tunedOn: true, minItems: 160 },
  // The brief asks for URL-encoding among other wrappings, not for a number of items: this pair has one.
  { names: ["blind24", "blind25"], lookedAt: true, tunedOn: true, minItems: 160, urlEncoded: 1 },
  { names: ["blind26", "blind27"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind28", "blind29"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind30", "blind31"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind32", "blind33"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind34", "blind35"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind36", "blind37"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind38", "blind39"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind40", "blind41"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind42", "blind43"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind44", "blind45"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind46", "blind47"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind48", "blind49"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind50", "blind51"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind52", "blind53"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind54", "blind55"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind56", "blind57"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind58", "blind59"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind60", "blind61"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind62", "blind63"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind64", "blind65"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind66", "blind67"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind68", "blind69"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind70", "blind71"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind72", "blind73"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind74", "blind75"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind76", "blind77"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind78", "blind79"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind80", "blind81"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind82", "blind83"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind84", "blind85"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind86", "blind87"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind88", "blind89"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind90", "blind91"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind92", "blind93"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind94", "blind95"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind96", "blind97"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind98", "blind99"], lookedAt: true, tunedOn: true, minItems: 160 },
  { names: ["blind100", "blind101", "blind102", "blind103"], lookedAt: true, tunedOn: false, minItems: 160 },
  { names: ["blind104", "blind105"], lookedAt: true, tunedOn: false, minItems: 160 },
];
const text = (i: RedTeamItem) => i.text ?? JSON.stringify(i.args);

describe.each(GENERATIONS)("the blind sets $names", ({ names, lookedAt, tunedOn, minItems, urlEncoded = 2 }) => {
  const fresh = sets.filter((s) => names.includes(s.name));
  const pooled = fresh.flatMap((s) => s.items);

  it("load, validate, and say whether they were tuned on", () => {
    expect(fresh.map((s) => s.name)).toEqual(names);
    for (const set of fresh) {
      expect(set, set.name).toMatchObject({ lookedAt, tunedOn, file: `redteam-${set.name}.jsonl` });
      expect(set.by).toMatch(/independent of the monitors/);
      expect(set.items.length, set.name).toBeGreaterThanOrEqual(minItems);
      const harmful = set.items.filter((i) => i.label === "harmful").length;
      // About half harmful, half hard benign look-alikes.
      expect(Math.abs(harmful / set.items.length - 0.5), set.name).toBeLessThan(0.05);
    }
  });

  it("no text is repeated within a set", () => {
    for (const set of fresh) {
      const texts = set.items.map((i) => JSON.stringify(i.text ?? i.args));
      expect(new Set(texts).size, set.name).toBe(texts.length);
    }
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

  it("vary wrapping: base64, URL-encoded and zero-width forms, and shell wrappers", () => {
    const count = (re: RegExp) => pooled.filter((i) => re.test(text(i))).length;
    expect(count(/base64 -d|base64 --decode|FromBase64String|b64decode|-enc /)).toBeGreaterThanOrEqual(3);
    expect(count(/%[2-7][0-9A-F]/i)).toBeGreaterThanOrEqual(urlEncoded);
    expect(count(/[\u200b-\u200d\u2060\ufeff]/)).toBeGreaterThanOrEqual(2); // zero-width space, (non-)joiner, word joiner, BOM
    expect(count(/\b(bash|sh|python3?) -c\b|\bnode -e\b|\beval\b/)).toBeGreaterThanOrEqual(3);
  });
});

describe("ids and languages", () => {
  it("ids are unique across every set", () => {
    const all = sets.flatMap((s) => s.items);
    expect(new Set(all.map((i) => i.id)).size).toBe(all.length);
  });

  it("blind7–9 are in Chinese, Japanese, German, French and Spanish too; blind10–11 in Russian, Korean, Hindi, Vietnamese and Polish", () => {
    const count = (names: string[], re: RegExp) =>
      sets.filter((s) => names.includes(s.name)).flatMap((s) => s.items).filter((i) => re.test(text(i))).length;
    const [old, fresh] = [GENERATIONS[0]!.names, ["blind10", "blind11"]];
    expect(count(old, /[\u4e00-\u9fff]/)).toBeGreaterThanOrEqual(15); // Han (Chinese, and Japanese kanji)
    expect(count(old, /[\u3040-\u30ff]/)).toBeGreaterThanOrEqual(10); // kana: Japanese
    expect(count(old, /\b(bitte|nicht|ist|und|alle)\b/i)).toBeGreaterThanOrEqual(8); // German
    expect(count(old, /\b(le|la|les|et|pour|est)\b/)).toBeGreaterThanOrEqual(8); // French
    expect(count(old, /\b(el|los|las|para|que|una)\b/)).toBeGreaterThanOrEqual(5); // Spanish
    expect(count(old, /xxd -r -p/)).toBeGreaterThanOrEqual(1);
    expect(count(fresh, /[\u0400-\u04ff]/)).toBeGreaterThanOrEqual(8); // Cyrillic: Russian
    expect(count(fresh, /[\uac00-\ud7af]/)).toBeGreaterThanOrEqual(8); // Hangul: Korean
    expect(count(fresh, /[\u0900-\u097f]|\b(kya|nahi|karo|kijiye|hai)\b/i)).toBeGreaterThanOrEqual(5); // Hindi
    expect(count(fresh, /[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]/i)).toBeGreaterThanOrEqual(5); // Vietnamese
    expect(count(fresh, /[ąęłńśźż]/i)).toBeGreaterThanOrEqual(5); // Polish
  });
});
