import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { gitAvailable } from "../../src/checkpoints/git.js";
import { couldBeIgnored, readIgnoreRules } from "../../src/checkpoints/ignore-check.js";
import { tempRepo } from "../helpers.js";
import { describeIfAvailable } from "../requires.js";

const ROOT_RULES = [
  "# a comment",
  "*.log",
  "/build",
  "out/",
  "docs/*.pdf",
  "**/cache/**",
  "a/**/z.txt",
  "tmp-?.txt",
  "report-[0-9][0-9].csv",
  "*.min.*",
  "!keep.log",
  "Thumbs.db   ",
  "deep/nested/dir/",
  ".env*",
].join("\n");
const SUB_RULES = ["*.gen.ts", "/local.ts", "fixtures/"].join("\n");
const EXCLUDE_RULES = ["secret.txt", "/top-only.md"].join("\n");

const PATHS = [
  "a.log", "src/a.log", "keep.log", "build", "build/x.js", "src/build/x.js", "out/x", "src/out/y", "out.txt",
  "docs/manual.pdf", "docs/sub/manual.pdf", "src/docs/manual.pdf", "cache/x", "src/cache/y/z", "cache.txt",
  "a/z.txt", "a/b/c/z.txt", "b/a/z.txt", "tmp-1.txt", "tmp-12.txt", "report-07.csv", "report-7.csv",
  "app.min.js", "min.js", "Thumbs.db", "src/Thumbs.db", "deep/nested/dir/f", "other/deep/nested/dir/f",
  ".env", ".env.local", "src/.env", "sub/x.gen.ts", "x.gen.ts", "sub/local.ts", "local.ts", "sub/inner/local.ts",
  "sub/fixtures/a.json", "fixtures/a.json", "secret.txt", "src/secret.txt", "top-only.md", "src/top-only.md",
  "x[abc", "xa", "readme.md", "src/index.ts", "sub/index.ts", "LOGS.LOG", "a b.txt", "ünïcode.txt",
];

describeIfAvailable("whether an ignore rule could cover a new file", gitAvailable() ? undefined : "git is not installed", () => {
  it("says so for every path git ignores, and not for plain source files", () => {
    const ws = tempRepo({ ".gitignore": ROOT_RULES, "sub/.gitignore": SUB_RULES });
    const exclude = path.join(ws, "..", `${path.basename(ws)}-exclude`);
    writeFileSync(exclude, EXCLUDE_RULES);
    const env = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" };
    execFileSync("git", ["init", "-q"], { cwd: ws, env });
    const ignoredByGit = new Set(
      execFileSync("git", ["-c", `core.excludesFile=${exclude}`, "check-ignore", "--no-index", "-z", "--stdin"], { cwd: ws, input: `${PATHS.join("\0")}\0`, env })
        .toString("utf8")
        .split("\0")
        .filter(Boolean),
    );
    expect(ignoredByGit.size).toBeGreaterThan(25);
    const rules = readIgnoreRules(ws, [".gitignore", "sub/.gitignore"], [exclude]);
    for (const file of ignoredByGit) expect(couldBeIgnored(rules, file), file).toBe(true);
    for (const file of ["readme.md", "src/index.ts", "sub/index.ts", "a b.txt", "ünïcode.txt", "min.js", "cache.txt", "out.txt"]) {
      expect(ignoredByGit.has(file), file).toBe(false);
      expect(couldBeIgnored(rules, file), file).toBe(false);
    }
  });

  it("counts a pattern it cannot widen safely as covering everything", () => {
    for (const pattern of ["a\\ b.txt", "x[abc"]) {
      const ws = tempRepo({ ".gitignore": `${pattern}\n` });
      expect(couldBeIgnored(readIgnoreRules(ws, [".gitignore"], []), "readme.md"), pattern).toBe(true);
    }
    const ws = tempRepo();
    // A missing exclude file has no rules.
    expect(couldBeIgnored(readIgnoreRules(ws, [], [path.join(ws, "absent")]), "readme.md")).toBe(false);
  });
});
