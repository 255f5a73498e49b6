import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildRepoMap, extractSymbols, type FileSymbols, renderRepoMap } from "../../src/context/repo-map.js";
import { estimateText } from "../../src/context/tokens.js";
import { repoMapTool } from "../../src/tools/repo-map.js";
import { ofType, runScenario, tempRepo } from "../helpers.js";
import { sandbox } from "../tools/helpers.js";

const names = (s: FileSymbols | undefined) => s?.definitions.map((d) => `${d.kind}:${d.name}`) ?? [];

describe("symbol extraction", () => {
  it("reads TypeScript, JavaScript, Python, Go and Rust", async () => {
    const ts = await extractSymbols(
      "export interface Cart { items: Item[] }\nexport class Store {\n  total(): number { return sum(this.items); }\n}\nexport function sum(xs: number[]) { return 0; }\nexport const double = (x: number) => x * 2;\ntype Id = string;",
      "src/cart.ts",
    );
    expect(names(ts)).toEqual(["interface:Cart", "class:Store", "method:total", "function:sum", "const:double", "type:Id"]);
    expect(ts!.references.get("sum")).toBe(1);
    expect(ts!.definitions[3]!.signature).toBe("export function sum(xs: number[]) { return 0; }");

    const js = await extractSymbols("function a() { b(); }\nclass K { run() {} }\nmodule.exports = { a };", "lib/a.js");
    expect(names(js)).toEqual(["function:a", "class:K", "method:run"]);

    const py = await extractSymbols("class Cart:\n    def total(self):\n        return helper(1)\n\ndef helper(x):\n    return x\nLIMIT = 3\n", "cart.py");
    expect(names(py)).toEqual(["class:Cart", "function:total", "function:helper"]);

    const go = await extractSymbols("package cart\n\ntype Cart struct{}\n\nfunc (c *Cart) Total() int { return Sum() }\n\nfunc Sum() int { return 0 }\n", "cart.go");
    expect(names(go)).toEqual(["type:Cart", "method:Total", "function:Sum"]);

    const rs = await extractSymbols("pub struct Cart;\npub trait Priced { fn price(&self) -> u32; }\nimpl Cart { pub fn total(&self) -> u32 { sum() } }\nfn sum() -> u32 { 0 }\nenum Kind { A }\n", "cart.rs");
    expect(names(rs)).toEqual(["struct:Cart", "trait:Priced", "function:price", "function:total", "function:sum", "enum:Kind"]);
  }, 30_000); // the first parse loads the tree-sitter runtime and five grammars
});

describe("ranking", () => {
  it("puts the files whose definitions others use most first, within the budget", async () => {
    const root = tempRepo({
      "src/core.ts": "export function coreThing() {}\nexport class Engine { start() {} }\n",
      "src/leaf.ts": "export function leafOnly() {}\n",
      "src/a.ts": "import { coreThing, Engine } from './core';\ncoreThing(); new Engine();\n",
      "src/b.ts": "import { coreThing } from './core';\ncoreThing(); coreThing();\n",
      "node_modules/x/index.js": "function ignored() {}",
    });
    const map = await buildRepoMap(root, { budgetTokens: 1_000 });
    const lines = map.text.split("\n");
    expect(lines[0]).toBe("src/core.ts:");
    expect(map.text).toContain("export function coreThing() {}");
    expect(map.text).not.toContain("ignored");
    expect(map.files).toBe(4);
    expect(map.tokens).toBeLessThanOrEqual(1_000);
  });

  it("never exceeds the budget", () => {
    const files: FileSymbols[] = Array.from({ length: 50 }, (_, i) => ({
      path: `f${i}.ts`,
      definitions: Array.from({ length: 20 }, (_, j) => ({ name: `n${i}_${j}`, kind: "function", line: j + 1, signature: `function n${i}_${j}(a, b, c) {` })),
      references: new Map([[`n${(i + 1) % 50}_0`, 3]]),
    }));
    for (const budget of [50, 300, 1_000]) {
      const { text, tokens } = renderRepoMap(files, budget);
      expect(tokens).toBeLessThanOrEqual(budget);
      expect(estimateText(text)).toBeLessThanOrEqual(budget);
    }
  });

  it("maps this repository and a large package in node_modules within budget", async () => {
    const own = await buildRepoMap(process.cwd(), { budgetTokens: 2_048 });
    expect(own.parsed).toBeGreaterThan(100);
    expect(own.tokens).toBeLessThanOrEqual(2_048);
    expect(own.text).toMatch(/^src\//m);
    const sdk = await buildRepoMap(path.join(process.cwd(), "node_modules/openai"), { budgetTokens: 4_096 });
    expect(sdk.parsed).toBeGreaterThan(300);
    expect(sdk.tokens).toBeLessThanOrEqual(4_096);
    expect(sdk.text.length).toBeGreaterThan(1_000);
  }, 120_000);
});

describe("the repo map at session start", () => {
  it("joins the system prompt of a large repository only", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 6; i++) files[`src/m${i}.ts`] = `export function helper${i}() {}\nhelper${(i + 1) % 6}();\n`;
    const scenario = { steps: [{ text: "ok" }] };
    const large = await runScenario(scenario, { cwd: tempRepo(files), context: { repoMapAtStart: 5 } });
    const system = ofType(large.events, "session_started")[0]!.system;
    expect(system).toContain("# Repository map");
    expect(system).toContain("export function helper1() {}");
    const small = await runScenario(scenario, { cwd: tempRepo(files), context: { repoMapAtStart: 50 } });
    expect(ofType(small.events, "session_started")[0]!.system).not.toContain("# Repository map");
  }, 30_000);
});

describe("the repo_map tool", () => {
  it("maps the workspace or a subfolder, and refuses a file", async () => {
    const box = sandbox();
    box.write("src/core.py", "class Engine:\n    def start(self):\n        pass\n");
    box.write("src/use.py", "from core import Engine\nEngine().start()\n");
    const whole = await box.call(repoMapTool, {});
    expect(whole.isError).toBe(false);
    expect(whole.text).toMatch(/^2 of 2 source files parsed/);
    expect(whole.text).toContain("src/core.py:\n  1: class Engine:");
    expect(whole.details).toMatchObject({ files: 2, parsed: 2 });
    const sub = await box.call(repoMapTool, { path: "src", max_tokens: 256 });
    expect(sub.text).toContain("core.py:");
    const notDir = await box.call(repoMapTool, { path: "src/core.py" });
    expect(notDir.isError).toBe(true);
  }, 30_000);
});
