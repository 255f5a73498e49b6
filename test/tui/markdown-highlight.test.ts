import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The build gives the TUI's Markdown highlight.js's core with common languages only
// (scripts/build.mjs): code in those is still highlighted, code in any other is shown plain and
// quietly, and the chunk no longer carries all 190 languages. Checked on the built chunk (the
// tests' global setup builds dist/), in a process of its own with colours forced on.

const chunks = path.join(process.cwd(), "dist", "chunks");
const markdownChunk = () => path.join(chunks, readdirSync(chunks).find((f) => /^markdown-.*\.js$/.test(f))!);

function render(fences: Record<string, string>): { out: Record<string, string>; stderr: string } {
  const script = `const { renderMarkdown } = await import(${JSON.stringify(markdownChunk())});
const fences = ${JSON.stringify(fences)};
const out = {};
for (const [lang, code] of Object.entries(fences)) out[lang] = renderMarkdown("\`\`\`" + lang + "\\n" + code + "\\n\`\`\`", 80);
process.stdout.write(JSON.stringify(out));`;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { env: { ...process.env, FORCE_COLOR: "1" }, encoding: "utf8" });
  expect(run.status, run.stderr).toBe(0);
  return { out: JSON.parse(run.stdout) as Record<string, string>, stderr: run.stderr };
}

const colours = (s: string) => (s.match(/\x1b\[3\dm/g) ?? []).length;

describe("code blocks in the terminal UI's Markdown (built)", () => {
  it("are highlighted in common languages and their aliases", () => {
    const { out } = render({
      python: "def total(items):\n    return sum(i.price for i in items)",
      ts: "const limit: number = 10;",
      yml: "jobs:\n  test:\n    runs-on: ubuntu-latest",
      rust: "fn main() { let x: u32 = 1; }",
      sql: "SELECT id FROM users WHERE active = true;",
    });
    for (const [lang, text] of Object.entries(out)) expect(colours(text), lang).toBeGreaterThan(1);
  });

  it("show a block in a language outside the set plain, with its text whole and nothing on stderr", () => {
    const { out, stderr } = render({ brainfuck: "++[>+<-]>.", cobol: "DISPLAY 'HELLO'." });
    expect(out.brainfuck).toContain("++[>+<-]>.");
    expect(out.cobol).toContain("DISPLAY 'HELLO'.");
    expect(stderr).toBe("");
  });

  it("leave most of highlight.js's 190 languages out of the chunk", () => {
    expect(statSync(markdownChunk()).size).toBeLessThan(1_200_000);
  });
});
