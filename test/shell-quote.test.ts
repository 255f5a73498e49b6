import { execFileSync } from "node:child_process";
import { expect, it } from "vitest";
import { shellQuote } from "../src/shell-quote.js";

it("quotes words so that a POSIX shell reads them back exactly, and leaves plain ones bare", () => {
  const words = ["plain-word_1.txt", "", "two words", "it's", "$HOME", "`id`", "a\nb", "*", "~", "--flag=a b", "'", "ünï"];
  const echoed = execFileSync("/bin/sh", ["-c", `for w in ${words.map(shellQuote).join(" ")}; do printf '%s\\0' "$w"; done`], { encoding: "utf8" });
  expect(echoed.split("\0").slice(0, -1)).toEqual(words);
  expect(shellQuote("src/a.ts")).toBe("src/a.ts");
  expect(shellQuote("a b")).toBe("'a b'");
});
