import { describe, expect, it } from "vitest";
import { featureBuckets } from "../../src/policy/monitors/classifier.js";
import { ConceptLexicon, compileLexicon, foldText } from "../../src/policy/monitors/concepts.js";
// @ts-expect-error a plain ES module of the training scripts, without types
import { lexiconSources } from "../../scripts/monitor-corpus/training-set.mjs";

const INVENTORY = "# comment\nDELETE\tdelete, wipe\nBACKUP\tbackup\nALL\tall\nSECRETLY\tsecretly\n";
const lexiconOf = (files: Record<string, string>) => new ConceptLexicon(compileLexicon(INVENTORY, files));
const found = (lexicon: ConceptLexicon, text: string) => lexicon.find(text).map((h) => `${lexicon.ids[h.concept]}@${h.at}`);

describe("the concept lexicon", () => {
  const lexicon = lexiconOf({
    "en.txt": "# English\nDELETE\tdelete | wipe* | get rid of\nBACKUP\tbackup* | restore point\nALL\tall | every\nSECRETLY\twithout them knowing\n",
    "pl.txt": "DELETE\tusuń* | skasuj*\nBACKUP\tkopi* zapasow*\nALL\twszystki*\n",
    "ja.txt": "DELETE\t削除 | 消し\nBACKUP\tバックアップ\n",
    "de.txt": "DELETE\tlösch* | gelösch*\n",
  });

  it("finds whole words, stems and phrases, and says where", () => {
    expect(found(lexicon, "Please wipe the backups, then get rid of the restore point.")).toEqual(["DELETE@1", "BACKUP@3", "DELETE@5", "BACKUP@9"]);
    // A phrase must be consecutive, and a whole word does not match a longer word.
    expect(found(lexicon, "get the rid of deleted")).toEqual([]);
  });

  it("folds case and diacritics on both sides, so inflected and unaccented forms match", () => {
    expect(found(lexicon, "Usuń wszystkie kopie zapasowe")).toEqual(["DELETE@0", "ALL@1", "BACKUP@2"]);
    expect(found(lexicon, "usunac wszystkich kopii zapasowych")).toEqual(["DELETE@0", "ALL@1", "BACKUP@2"]);
    expect(found(lexicon, "Die Daten wurden GELÖSCHT")).toEqual(["DELETE@3"]);
    expect(foldText("Łódź Straße")).toBe("lodz strasse");
  });

  it("finds forms inside text written without spaces", () => {
    const hits = found(lexicon, "バックアップを全部消して");
    expect(hits.map((h) => h.split("@")[0])).toEqual(["BACKUP", "DELETE"]);
  });

  it("rejects an unknown concept id or a line without a TAB, naming the file and line", () => {
    expect(() => compileLexicon(INVENTORY, { "xx.txt": "DELETE\tdel\nDELETED\tgone\n" })).toThrow("xx.txt:2: unknown concept id");
    expect(() => compileLexicon(INVENTORY, { "xx.txt": "DELETE delete\n" })).toThrow("xx.txt:1: no TAB");
  });

  it("gives the same concept features to the same request in two languages", () => {
    const concepts = (text: string) => {
      const all = new Set(featureBuckets(text, "input", false, lexicon));
      for (const b of featureBuckets(text, "input")) all.delete(b);
      return all;
    };
    const english = concepts("wipe all backups");
    expect(english.size).toBeGreaterThan(0);
    expect(concepts("usuń wszystkie kopie zapasowe")).toEqual(english);
  });
});

describe("the shipped lexicon", () => {
  const { inventory, files } = lexiconSources() as { inventory: string; files: Record<string, string> };

  it("compiles, and covers every concept in many languages", () => {
    const lexicon = new ConceptLexicon(compileLexicon(inventory, files));
    expect(Object.keys(files).length).toBeGreaterThanOrEqual(20);
    // Every file gives every concept at least six forms of its own.
    for (const [name, text] of Object.entries(files)) {
      const lines = text.split("\n").filter((line) => line.includes("\t"));
      expect(lines.map((line) => line.split("\t")[0]), name).toEqual(lexicon.ids);
      for (const line of lines) expect(line.split("|").length, `${name} ${line.slice(0, 30)}`).toBeGreaterThanOrEqual(6);
    }
    const ids = (text: string) => new Set(lexicon.find(text).map((h) => lexicon.ids[h.concept]));
    // English, German, French, Chinese; and Welsh, Irish, Turkmen, Tatar and Tigrinya, where the lexicon once had no
    // file and a request to wipe the backups named no concept at all.
    for (const text of [
      "delete every backup",
      "lösche alle Backups",
      "supprime toutes les sauvegardes",
      "删除所有备份",
      "dileu pob copi wrth gefn",
      "scrios gach cúltaca",
      "ähli ätiýaçlyk nusgalary poz",
      "барлык резерв копияләрне бетер",
      "ኩሉ ባክኣፕ ደምስስ",
    ]) {
      const seen = ids(text);
      expect(seen.has("DELETE") && seen.has("BACKUP"), text).toBe(true);
    }
  });
});
